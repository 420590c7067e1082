package io.ledgerflow.flink.kafka;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes already-encoded records to the topic each one names, which must be one of the topics given
 * at construction.
 *
 * <p>Why the topics are declared: the Kafka sink's pooled transaction names ({@code
 * TransactionNamingStrategy.POOLING}) find the transactions a failed attempt left open by listing
 * the open transactions on the sink's topics, so the sink must know them all. A record for another
 * topic is a programming error and fails the task rather than writing where a restart could not
 * find a lingering transaction.
 */
public final class RawRecordSerializer
        implements KafkaRecordSerializationSchema<KafkaRecordBytes>, KafkaDatasetFacetProvider {

    private static final long serialVersionUID = 1L;

    private final List<String> topics;
    private final Set<String> known;

    public RawRecordSerializer(List<String> topics) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a sink writes to at least one topic");
        }
        this.topics = List.copyOf(topics);
        this.known = Set.copyOf(topics);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            KafkaRecordBytes record, KafkaSinkContext context, Long timestamp) {
        if (!known.contains(record.topic)) {
            throw new IllegalStateException(
                    "record for topic "
                            + record.topic
                            + ", which this sink does not declare: "
                            + topics);
        }
        return new ProducerRecord<>(record.topic, null, timestamp, record.key, record.value);
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(topics)));
    }
}
