package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.LedgerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Publishes ledger requests with an idempotent Kafka producer ({@code acks=all}).
 *
 * <p>Threads: the Avro encoding runs on the caller (an HTTP event loop; pure CPU once the schema id
 * is cached), while {@link KafkaProducer#send} runs on one dedicated sender thread, because {@code
 * send} may block up to {@code max.block.ms} (metadata unknown, buffer full) and an event loop must
 * never block. A request that waited longer than {@link #QUEUE_TIMEOUT} for the sender fails
 * instead of being sent late.
 *
 * <p>Bound on a failure answer: queue wait (1 s) + {@code max.block.ms} (1 s) + {@code
 * delivery.timeout.ms} (2.5 s) = 4.5 s, inside the 5 s promised to clients.
 *
 * <p>The value serializer is the Confluent-format Avro serializer of the schemas module. Its first
 * call registers the schema; {@link #warmUp} makes that call off the event loop at start (and
 * retries until the registry answers), and until it succeeded requests fail fast with {@link
 * PublishException.Cause#SCHEMA_REGISTRY}. Afterwards the id is cached and a registry outage no
 * longer matters.
 */
public final class KafkaLedgerRequestPublisher implements LedgerRequestPublisher {

    private static final Logger LOG = LogManager.getLogger(KafkaLedgerRequestPublisher.class);

    static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(1);
    static final int MAX_BLOCK_MS = 1000;
    static final int REQUEST_TIMEOUT_MS = 1500;
    static final int DELIVERY_TIMEOUT_MS = 2500;

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<LedgerRequest> valueSerializer;
    private final ExecutorService sender;
    private final ProduceLatency latency;
    private volatile boolean schemaReady;

    /** Told the time from hand-over to acknowledgement of every write, and failures. */
    public interface ProduceLatency {
        void acknowledged(long nanos);

        void failed();
    }

    public KafkaLedgerRequestPublisher(
            String bootstrapServers,
            String topic,
            int lingerMs,
            Serializer<LedgerRequest> valueSerializer,
            ProduceLatency latency) {
        this.topic = topic;
        this.valueSerializer = valueSerializer;
        this.latency = latency;
        this.producer =
                new KafkaProducer<>(
                        producerConfig(bootstrapServers, lingerMs),
                        new StringSerializer(),
                        new ByteArraySerializer());
        this.sender =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "ledger-request-sender");
                            t.setDaemon(true);
                            return t;
                        });
    }

    static Map<String, Object> producerConfig(String bootstrapServers, int lingerMs) {
        return Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-api"),
                // Durable before we answer 202; no duplicates from producer retries.
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                // A few ms of linger turns many concurrent requests into one produce request.
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, lingerMs),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                // Bounded failure: see the class comment.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500),
                Map.entry(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50));
    }

    /**
     * Encodes {@code sample} once, on a background thread, until the registry answers: registers
     * (or finds) the value schema so that the event loops never wait for the registry.
     */
    public void warmUp(Supplier<LedgerRequest> sample) {
        Thread warmUp =
                new Thread(
                        () -> {
                            long backoffMs = 200;
                            while (!schemaReady && !sender.isShutdown()) {
                                try {
                                    valueSerializer.serialize(topic, sample.get());
                                    schemaReady = true;
                                    LOG.info("value schema of {} registered and cached", topic);
                                } catch (RuntimeException e) {
                                    LOG.warn(
                                            "schema registry not reachable yet, retrying: {}",
                                            e.getMessage());
                                    sleep(backoffMs);
                                    backoffMs = Math.min(backoffMs * 2, 5000);
                                }
                            }
                        },
                        "schema-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** True once the value schema id is cached. */
    public boolean schemaReady() {
        return schemaReady;
    }

    @Override
    public CompletableFuture<Void> publish(KeyedRequest request) {
        return publishAll(List.of(request)).get(0);
    }

    @Override
    public List<CompletableFuture<Void>> publishAll(List<KeyedRequest> requests) {
        List<CompletableFuture<Void>> futures = new ArrayList<>(requests.size());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(requests.size());
        for (KeyedRequest request : requests) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            futures.add(future);
            if (!schemaReady) {
                future.completeExceptionally(
                        new PublishException(
                                PublishException.Cause.SCHEMA_REGISTRY,
                                "the value schema is not registered yet (registry unreachable"
                                        + " since start)",
                                null));
                records.add(null);
                continue;
            }
            try {
                byte[] value = valueSerializer.serialize(topic, request.request());
                records.add(new ProducerRecord<>(topic, request.key(), value));
            } catch (RuntimeException e) {
                // Never thrown to the caller: every future must complete, or a claimed
                // transaction id would stay pending and its duplicates would wait forever.
                LOG.error("cannot encode a ledger request: {}", e.toString());
                future.completeExceptionally(
                        new PublishException(
                                PublishException.Cause.SCHEMA_REGISTRY,
                                "the request could not be encoded with the registered schema",
                                e));
                records.add(null);
            }
        }
        long handedOver = System.nanoTime();
        try {
            sender.execute(() -> send(records, futures, handedOver));
        } catch (RejectedExecutionException closed) {
            fail(futures, new IllegalStateException("publisher closed"));
        }
        return futures;
    }

    private void send(
            List<ProducerRecord<String, byte[]>> records,
            List<CompletableFuture<Void>> futures,
            long handedOver) {
        if (System.nanoTime() - handedOver > QUEUE_TIMEOUT.toNanos()) {
            // Kafka has been blocking send() for a while: answer now rather than late.
            fail(futures, new IllegalStateException("producer backlog: not sent in time"));
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<String, byte[]> record = records.get(i);
            CompletableFuture<Void> future = futures.get(i);
            if (record == null || future.isDone()) {
                continue;
            }
            try {
                producer.send(
                        record,
                        (metadata, error) -> {
                            if (error == null) {
                                latency.acknowledged(System.nanoTime() - handedOver);
                                future.complete(null);
                            } else {
                                latency.failed();
                                future.completeExceptionally(kafkaUnavailable(error));
                            }
                        });
            } catch (RuntimeException e) {
                // max.block.ms elapsed (no metadata, full buffer) or the producer is closed.
                latency.failed();
                future.completeExceptionally(kafkaUnavailable(e));
            }
        }
    }

    private static void fail(List<CompletableFuture<Void>> futures, Throwable error) {
        for (CompletableFuture<Void> future : futures) {
            future.completeExceptionally(kafkaUnavailable(error));
        }
    }

    private static PublishException kafkaUnavailable(Throwable error) {
        return new PublishException(
                PublishException.Cause.KAFKA, "Kafka did not acknowledge the write in time", error);
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        valueSerializer.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
