package io.ledgerflow.localservers;

import java.nio.file.Path;

/** Gives tests the real ClickHouse engine behind its HTTP front ({@link ClickHouseServer}). */
public final class ClickHouseExtension extends ServerExtension<ClickHouseServer> {
    public ClickHouseExtension() {
        super(ClickHouseServer.class);
    }

    @Override
    protected ClickHouseServer create(Path dataDir) {
        return new ClickHouseServer(dataDir, FreePorts.next(), ServerProcess.Lifetime.ATTACHED);
    }
}
