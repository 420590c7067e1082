package io.ledgerflow.localservers;

import java.nio.file.Path;

/** Gives tests a real PostgreSQL server ({@link PostgresServer}), once per test JVM. */
public final class PostgresExtension extends ServerExtension<PostgresServer> {
    public PostgresExtension() {
        super(PostgresServer.class);
    }

    @Override
    protected PostgresServer create(Path dataDir) {
        return new PostgresServer(dataDir, FreePorts.next(), ServerProcess.Lifetime.ATTACHED);
    }
}
