package io.ledgerflow.localservers;

import java.nio.file.Path;

/**
 * Gives tests a real Confluent-API schema registry ({@link SchemaRegistryServer}), once per JVM.
 */
public final class SchemaRegistryExtension extends ServerExtension<SchemaRegistryServer> {
    public SchemaRegistryExtension() {
        super(SchemaRegistryServer.class);
    }

    @Override
    protected SchemaRegistryServer create(Path dataDir) {
        return new SchemaRegistryServer(dataDir, FreePorts.next(), ServerProcess.Lifetime.ATTACHED);
    }
}
