package io.ledgerflow.schemas.config;

import java.io.Serializable;

/**
 * Where a process finds Kafka and which topics are its own.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}: {@code host:port,...}
 * @param topicPrefix put before every topic name: empty in production; lets several ledgers, or
 *     tests, share one Kafka cluster
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix) implements Serializable {

    /** The local servers' broker ({@code bin/local-servers}), no prefix. */
    public static final KafkaSettings LOCAL = new KafkaSettings("127.0.0.1:9092", "");

    /** Name of the topic prefix setting, the same in every process. */
    public static final String TOPIC_PREFIX = "topic-prefix";

    /** The name of one of the {@code Topics} under this prefix. */
    public String topic(String name) {
        return topicPrefix + name;
    }

    /** Same prefix, another cluster. */
    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(servers, topicPrefix);
    }

    /** Same cluster, topics under {@code prefix}. */
    public KafkaSettings withTopicPrefix(String prefix) {
        return new KafkaSettings(bootstrapServers, prefix);
    }

    /**
     * Reads {@code serversSetting} ({@code bootstrap-servers} in the jobs' arguments, {@code
     * kafka-bootstrap-servers} in the API's environment) and {@value #TOPIC_PREFIX}.
     */
    public static KafkaSettings read(Settings s, String serversSetting, KafkaSettings defaults) {
        return new KafkaSettings(
                s.parsed(
                        serversSetting,
                        defaults.bootstrapServers(),
                        KafkaSettings::servers,
                        "host:port[,host:port...]"),
                s.string(TOPIC_PREFIX, defaults.topicPrefix()));
    }

    private static String servers(String text) {
        if (!text.matches("[^,:\\s]+:\\d+(,[^,:\\s]+:\\d+)*")) {
            throw new IllegalArgumentException();
        }
        return text;
    }
}
