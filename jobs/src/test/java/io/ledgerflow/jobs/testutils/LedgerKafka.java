package io.ledgerflow.jobs.testutils;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.ledger.LedgerRouting;
import io.ledgerflow.localservers.KafkaTopics;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroDeserializer;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The ledger's topics on a real broker: create them, produce requests, read what was committed. */
public final class LedgerKafka {

    private final LedgerJobConfig config;
    private final SchemaRegistryClient registry;

    public LedgerKafka(LedgerJobConfig config) {
        this.config = config;
        this.registry = SchemaRegistryClient.forUrl(config.schemaRegistryUrl());
    }

    /** Creates every ledger topic with {@code partitions} partitions. */
    public void createTopics(int partitions) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name :
                List.of(
                        Topics.LEDGER_REQUESTS,
                        Topics.LEDGER_INSTRUCTIONS,
                        Topics.TRANSACTION_RESULTS,
                        Topics.LEDGER_ENTRIES,
                        Topics.ACCOUNT_STATES,
                        Topics.ACCOUNT_COMMAND_RESULTS,
                        Topics.DEAD_LETTERS,
                        Topics.FRAUD_RULES,
                        Topics.FRAUD_ALERTS)) {
            topics.add(new NewTopic(config.topic(name), partitions, (short) 1));
        }
        KafkaTopics.create(config.bootstrapServers(), topics);
    }

    /** Produces requests keyed by the account they act on first, idempotently, and flushes. */
    public void produce(List<LedgerRequest> requests) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        try (KafkaProducer<String, LedgerRequest> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(registry, LedgerRequest.class))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
            for (LedgerRequest request : requests) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        config.requestsTopic(),
                                        LedgerRouting.accountOf(request),
                                        request)));
            }
            producer.flush();
            // A failed send would otherwise look like a request the ledger lost.
            for (Future<RecordMetadata> f : sent) {
                try {
                    f.get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException("producing the test's requests failed", e);
                }
            }
        }
    }

    /** Produces raw bytes to the requests topic: what a broken upstream producer might send. */
    public void produceRaw(List<byte[]> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(config.requestsTopic(), "garbage", value));
            }
            producer.flush();
        }
    }

    /** A read_committed reader of one topic from its beginning. */
    public <T extends SpecificRecord> TopicReader<T> reader(String topicName, Class<T> type) {
        return new TopicReader<>(config.topic(topicName), type);
    }

    /** Accumulates every committed record of a topic; poll until a condition holds. */
    public final class TopicReader<T extends SpecificRecord> implements AutoCloseable {
        private final KafkaConsumer<String, T> consumer;
        private final List<T> records = new ArrayList<>();

        TopicReader(String topic, Class<T> type) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            consumer =
                    new KafkaConsumer<>(
                            props,
                            new StringDeserializer(),
                            new ConfluentAvroDeserializer<>(registry, type));
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads until {@code done} holds for everything read so far, or the timeout passes. */
        public List<T> readUntil(Predicate<List<T>> done, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r.value());
                }
            }
            return records;
        }

        /** Reads up to the current end of every partition. */
        public List<T> readToEnd() {
            Map<TopicPartition, Long> end =
                    new HashMap<>(consumer.endOffsets(consumer.assignment()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                boolean caughtUp =
                        end.entrySet().stream()
                                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                if (caughtUp) {
                    break;
                }
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r.value());
                }
            }
            return records;
        }

        public List<T> records() {
            return records;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
