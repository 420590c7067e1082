package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The ledger's decisions as they are committed, for requests that wait for theirs ({@code Prefer:
 * wait=N}, RFC 7240). Every API instance reads the whole results topic itself, from its end when it
 * starts, committed records only ({@code read_committed}): so whichever instance accepted a
 * request, the one holding the waiting call sees the decision, and never one that a failed
 * checkpoint takes back. No consumer group: nothing is committed, instances do not share work.
 *
 * <p>Cheap when nobody waits: the topic is keyed by transaction id, and a record is decoded only if
 * its key is one a request waits for. A waiter is registered before its request is produced, so a
 * decision cannot pass before it (the decision follows the request, which follows the
 * registration).
 */
public final class LedgerDecisions implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(LedgerDecisions.class);

    /** Waiting requests by transaction id; more than one when a partner retries while waiting. */
    private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();

    private final KafkaConsumer<String, byte[]> consumer;
    private final ConfluentAvroDecoder<TransactionResult> decoder;
    private final String topic;
    private final Thread reader;
    private volatile boolean closed;
    private volatile boolean ready;

    private record Waiter(
            String partnerId, CompletableFuture<Optional<TransactionResult>> result) {}

    /**
     * Starts reading {@code topic} from its end, as soon as the topic exists (the API may start
     * before the ledger created it: until then waiting requests answer 202).
     */
    public LedgerDecisions(String bootstrapServers, String topic, SchemaRegistryClient registry) {
        this.topic = topic;
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                "false",
                                // Asking for a topic's partitions must never create it.
                                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                                "false",
                                // A decision is wanted as soon as it is committed.
                                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                                "50"),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        this.decoder = new ConfluentAvroDecoder<>(registry, TransactionResult.class);
        this.reader = new Thread(this::read, "ledger-decisions");
        reader.setDaemon(true);
        reader.start();
    }

    /** Assigns every partition of the topic at its end; false while the topic does not exist. */
    private boolean assign() {
        List<TopicPartition> partitions;
        try {
            partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false;
        }
        if (partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        ready = true;
        return true;
    }

    /** Whether decisions are being read (the topic exists and is assigned). */
    public boolean ready() {
        return ready;
    }

    /**
     * The decision on a partner's transaction, if the ledger commits one within {@code wait}; empty
     * otherwise. Call before the request is produced.
     */
    public CompletableFuture<Optional<TransactionResult>> await(
            String partnerId, String transactionId, Duration wait) {
        Waiter w = new Waiter(partnerId, new CompletableFuture<>());
        waiting.compute(
                transactionId,
                (id, list) -> {
                    if (list == null) {
                        return List.of(w);
                    }
                    List<Waiter> more = new java.util.ArrayList<>(list);
                    more.add(w);
                    return List.copyOf(more);
                });
        w.result()
                .completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> forget(transactionId, w));
        return w.result();
    }

    /** How many requests wait now (a gauge). */
    public int waiting() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    private void forget(String transactionId, Waiter w) {
        waiting.computeIfPresent(
                transactionId,
                (id, list) -> {
                    List<Waiter> rest = list.stream().filter(x -> x != w).toList();
                    return rest.isEmpty() ? null : rest;
                });
    }

    private void read() {
        try {
            while (!closed && !assign()) {
                Thread.sleep(2_000);
            }
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    List<Waiter> waiters = record.key() == null ? null : waiting.get(record.key());
                    if (waiters != null) {
                        deliver(record, waiters);
                    }
                }
            }
        } catch (WakeupException
                | InterruptedException
                | org.apache.kafka.common.errors.InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("reading the ledger's decisions stopped; waiting requests answer 202", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record, List<Waiter> waiters) {
        TransactionResult result;
        try {
            result = decoder.decode(record.value());
        } catch (RuntimeException e) {
            LOG.error(
                    "undecodable decision at {}-{}@{} for transaction {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key(),
                    e);
            return;
        }
        for (Waiter w : waiters) {
            // The same id of another partner is another transaction.
            if (w.partnerId().equals(result.getPartnerId())) {
                w.result().complete(Optional.of(result));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        // Also ends the pause between looks for a topic that does not exist yet.
        reader.interrupt();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
