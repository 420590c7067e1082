package io.ledgerflow.sinks.testutils;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ledger's topics on a real broker, seen from the sinks: create them, produce requests (and
 * garbage), read what the ledger committed. Topic creation and producing are the jobs module's
 * {@code LedgerKafka}; the reader here skips records that do not decode (garbage a test wrote).
 */
public final class LedgerTopics {

    private final LedgerJobConfig config;
    private final SchemaRegistryClient registry;
    private final LedgerKafka ledger;

    public LedgerTopics(LedgerJobConfig config) {
        this.config = config;
        this.registry = SchemaRegistryClient.forUrl(config.schemaRegistryUrl());
        this.ledger = new LedgerKafka(config);
    }

    /** Creates every ledger topic with {@code partitions} partitions. */
    public void createTopics(int partitions) throws Exception {
        ledger.createTopics(partitions);
    }

    /** Produces requests keyed by the account they act on first, idempotently, and flushes. */
    public void produce(List<LedgerRequest> requests) {
        ledger.produce(requests);
    }

    /**
     * Results onto the ledger's results topic as the ledger would write them (keyed by transaction
     * id, Confluent Avro), in list order, and flushed: for tests that need exact, hand-made
     * decisions.
     */
    public void produceResults(List<TransactionResult> results) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, TransactionResult> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(registry, TransactionResult.class))) {
            for (TransactionResult r : results) {
                producer.send(
                        new ProducerRecord<>(
                                config.topic(Topics.TRANSACTION_RESULTS), r.getTransactionId(), r));
            }
            producer.flush();
        }
    }

    /**
     * Raw bytes onto one of the topics the sinks read, in order, to partition {@code partition}:
     * what a broken producer might write. Returns their positions ({@code topic-partition@offset}).
     */
    public List<String> produceGarbage(String topicName, int partition, List<byte[]> values)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        List<String> positions = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                // Keyed: the rules topic is compacted in production, which refuses null keys.
                RecordMetadata written =
                        producer.send(
                                        new ProducerRecord<>(
                                                config.topic(topicName),
                                                partition,
                                                "garbage".getBytes(StandardCharsets.UTF_8),
                                                value))
                                .get();
                positions.add(
                        InternalRecordPositions.of(
                                written.topic(), written.partition(), written.offset()));
            }
        }
        return positions;
    }

    /** Every committed, decodable record of a topic, from its beginning to its current end. */
    public <T extends SpecificRecord> List<T> readCommitted(String topicName, Class<T> type) {
        String topic = config.topic(topicName);
        ConfluentAvroDecoder<T> decoder = new ConfluentAvroDecoder<>(registry, type);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && !end.entrySet().stream()
                            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        records.add(decoder.decode(r.value()));
                    } catch (InvalidRecordException e) {
                        // Garbage the test wrote on purpose.
                    }
                }
            }
        }
        return records;
    }
}
