package io.ledgerflow.schemas.config;

/**
 * A configuration with Kafka and a schema registry (both jobs, the API): the shorthands their
 * callers use, written once.
 */
public interface KafkaClientConfig {

    KafkaSettings kafka();

    RegistrySettings registry();

    /** Kafka's {@code bootstrap.servers}. */
    default String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** The schema registry's base URL. */
    default String schemaRegistryUrl() {
        return registry().url();
    }

    /** Put before every topic name. */
    default String topicPrefix() {
        return kafka().topicPrefix();
    }

    /** The name of one of the {@code Topics} under the prefix. */
    default String topic(String name) {
        return kafka().topic(name);
    }
}
