package io.ledgerflow.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.KafkaTopics;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import io.ledgerflow.schemas.testutils.SampleRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka serializer and deserializer through a real broker and the real registry. */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class ConfluentAvroKafkaITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void producesAndConsumesLedgerRequests(KafkaServer kafka, SchemaRegistryServer registry)
            throws Exception {
        String topic = createTopic(kafka);
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());
        List<LedgerRequest> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(
                    new LedgerRequest(
                            i % 5 == 0
                                    ? SampleRecords.openAccount()
                                    : SampleRecords.transfer("tx-" + i)));
        }

        try (var producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(client, LedgerRequest.class))) {
            for (LedgerRequest request : sent) {
                producer.send(new ProducerRecord<>(topic, "acc-1", request)).get();
            }
        }

        try (var consumer =
                new KafkaConsumer<>(
                        consumerConfig(kafka),
                        new StringDeserializer(),
                        new ConfluentAvroDeserializer<>(
                                SchemaRegistryClient.forUrl(registry.url()),
                                LedgerRequest.class))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<LedgerRequest> received = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, LedgerRequest> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
            }
            assertThat(received).isEqualTo(sent);
        }
    }

    @Test
    void badBytesSurfaceWithTheirOffsetAndReason(KafkaServer kafka, SchemaRegistryServer registry)
            throws Exception {
        String topic = createTopic(kafka);
        try (var producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "acc-1", "{\"amount\":1}".getBytes())).get();
        }

        try (var consumer =
                new KafkaConsumer<>(
                        consumerConfig(kafka),
                        new StringDeserializer(),
                        new ConfluentAvroDeserializer<>(
                                SchemaRegistryClient.forUrl(registry.url()),
                                LedgerRequest.class))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThatThrownBy(
                            () -> {
                                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                                while (System.nanoTime() < deadline) {
                                    consumer.poll(Duration.ofMillis(200));
                                }
                            })
                    .isInstanceOfSatisfying(
                            RecordDeserializationException.class,
                            e -> {
                                assertThat(e.offset()).isZero();
                                assertThat(e.getCause())
                                        .isInstanceOfSatisfying(
                                                InvalidRecordException.class,
                                                cause ->
                                                        assertThat(cause.reason())
                                                                .isEqualTo(
                                                                        InvalidRecordException
                                                                                .Reason
                                                                                .NOT_CONFLUENT_AVRO));
                            });
        }
    }

    private static Map<String, Object> consumerConfig(KafkaServer kafka) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
    }

    /** Topics are not auto-created on the broker, as in production. */
    private static String createTopic(KafkaServer kafka) {
        String topic = "it-serde-" + UUID.randomUUID();
        KafkaTopics.create(kafka.bootstrapServers(), 1, List.of(topic));
        return topic;
    }
}
