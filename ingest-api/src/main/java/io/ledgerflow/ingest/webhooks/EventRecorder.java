package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads the ledger's committed results ({@code read_committed}: never an event for something a
 * failed checkpoint takes back) in a consumer group, records their partner events and deliveries in
 * PostgreSQL, and only then commits the Kafka offsets. A crash between the two re-reads the batch,
 * and the events' ids (derived from the results) make the second recording a no-op: at least once
 * into the outbox, exactly once in it.
 */
public final class EventRecorder implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(EventRecorder.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String transactionResults;
    private final String accountCommandResults;
    private final ConfluentAvroDecoder<TransactionResult> transactions;
    private final ConfluentAvroDecoder<AccountCommandResult> accounts;
    private final WebhookStore store;
    private final Clock clock;
    private final Duration retryPeriod;
    private final Duration retention;
    private final Supplier<Collection<String>> fullEndpoints;
    private final Runnable recorded;
    private final Counter events;
    private final Counter undecodable;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Instant lastCommit = Instant.EPOCH;

    public EventRecorder(
            String bootstrapServers,
            String groupId,
            String startFrom,
            String transactionResults,
            String accountCommandResults,
            SchemaRegistryClient registry,
            WebhookStore store,
            Clock clock,
            Duration retryPeriod,
            Duration retention,
            Supplier<Collection<String>> fullEndpoints,
            Runnable recorded,
            MeterRegistry metrics) {
        this.transactionResults = transactionResults;
        this.accountCommandResults = accountCommandResults;
        this.consumer =
                new KafkaConsumer<>(
                        Map.ofEntries(
                                Map.entry(
                                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                                Map.entry(ConsumerConfig.GROUP_ID_CONFIG, groupId),
                                Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                                Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                                Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startFrom),
                                Map.entry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"),
                                Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500"),
                                Map.entry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50"),
                                Map.entry(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000"),
                                // A notifier that died gives its partitions up within 10 s.
                                Map.entry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000"),
                                Map.entry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000")),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        this.transactions = new ConfluentAvroDecoder<>(registry, TransactionResult.class);
        this.accounts = new ConfluentAvroDecoder<>(registry, AccountCommandResult.class);
        this.store = store;
        this.clock = clock;
        this.retryPeriod = retryPeriod;
        this.retention = retention;
        this.fullEndpoints = fullEndpoints;
        this.recorded = recorded;
        this.events =
                Counter.builder("notifier.events.recorded")
                        .description("Partner events recorded (new ids only).")
                        .register(metrics);
        this.undecodable =
                Counter.builder("notifier.records.undecodable")
                        .description("Result records that could not be decoded (skipped, logged).")
                        .register(metrics);
        this.thread = new Thread(this::run, "notifier-recorder");
        thread.setDaemon(true);
    }

    public EventRecorder start() {
        thread.start();
        return this;
    }

    /** When offsets were last committed (readiness). */
    public Instant lastCommit() {
        return lastCommit;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(transactionResults, accountCommandResults));
            while (!closed) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    lastCommit = clock.instant();
                    continue;
                }
                List<PartnerEvent> found = new ArrayList<>(batch.count());
                Instant oldest = clock.instant().minus(retention);
                for (ConsumerRecord<String, byte[]> record : batch) {
                    eventOf(record)
                            .filter(e -> !e.occurredAt().isBefore(oldest))
                            .ifPresent(found::add);
                }
                recordUntilDone(found);
                // Only now: the rows are committed, so a crash from here on re-reads at most
                // this batch, and recording it again adds nothing.
                try {
                    consumer.commitSync();
                    lastCommit = clock.instant();
                } catch (org.apache.kafka.clients.consumer.CommitFailedException
                        | org.apache.kafka.common.errors.RebalanceInProgressException e) {
                    // The partitions moved to another notifier meanwhile: it reads this batch
                    // again from the last committed offsets, and recording it again adds nothing.
                    LOG.info("offsets not committed after a rebalance: {}", e.toString());
                }
                recorded.run();
            }
        } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the notifier stopped reading the ledger's results", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The database may be down: keep the batch (and the offsets) until it is recorded. */
    private void recordUntilDone(List<PartnerEvent> found) {
        long pause = 200;
        while (!closed) {
            try {
                events.increment(
                        store.record(found, clock.instant(), retryPeriod, fullEndpoints.get()));
                return;
            } catch (RuntimeException e) {
                LOG.warn(
                        "recording {} partner events failed; retrying in {} ms",
                        found.size(),
                        pause,
                        e);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
                pause = Math.min(pause * 2, 10_000);
            }
        }
        throw new WakeupException();
    }

    private Optional<PartnerEvent> eventOf(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                return Optional.empty();
            }
            if (record.topic().equals(transactionResults)) {
                return PartnerEvents.of(transactions.decode(record.value()));
            }
            return PartnerEvents.of(accounts.decode(record.value()));
        } catch (io.ledgerflow.schemas.serde.InvalidRecordException e) {
            if (e.reason().retryable()) {
                throw e;
            }
            undecodable.increment();
            LOG.error(
                    "undecodable result at {}-{}@{}, skipped",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e);
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
