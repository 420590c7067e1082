package io.ledgerflow.localservers;

import java.nio.file.Path;

/** Gives tests a real Kafka broker ({@link KafkaServer}), once per test JVM. */
public final class KafkaExtension extends ServerExtension<KafkaServer> {
    public KafkaExtension() {
        super(KafkaServer.class);
    }

    @Override
    protected KafkaServer create(Path dataDir) {
        return new KafkaServer(
                dataDir, FreePorts.next(), FreePorts.next(), ServerProcess.Lifetime.ATTACHED);
    }
}
