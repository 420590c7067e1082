package io.ledgerflow.schemas.config;

import java.time.Duration;

/** A Flink job's configuration: Kafka, the registry and checkpoints, with their shorthands. */
public interface CheckpointedJobConfig extends KafkaClientConfig {

    CheckpointSettings checkpoints();

    /** How often the job checkpoints. */
    default Duration checkpointInterval() {
        return checkpoints().interval();
    }

    /** Where its checkpoints go. */
    default String checkpointDirectory() {
        return checkpoints().directory();
    }
}
