package io.ledgerflow.jobs.bench;

import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a read_committed consumer sees of the ledger's results, as it happens: opens and deposits
 * during setup, and for the current round the moment each transfer's terminal result became visible
 * and its latency from the request's {@code receivedTime}. One thread, started once.
 */
final class CommittedOutputs implements AutoCloseable {

    /** The transfers of one measured round: ids {@code prefix + 0 .. prefix + (expected - 1)}. */
    static final class Round {
        final String prefix;
        final int expected;
        final long[] visibleAtMillis;
        final long[] latencyMillis;
        final BitSet seen;
        final Map<TransactionStatus, Integer> statuses = new EnumMap<>(TransactionStatus.class);
        int count;
        int duplicates;

        Round(String prefix, int expected) {
            this.prefix = prefix;
            this.expected = expected;
            visibleAtMillis = new long[expected];
            latencyMillis = new long[expected];
            seen = new BitSet(expected);
        }

        synchronized int count() {
            return count;
        }

        /** When the {@code k}-th result (1-based) of the round became visible. */
        synchronized long visibleAt(int k) {
            return visibleAtMillis[k - 1];
        }

        /** Results visible at or before {@code millis}. */
        synchronized int countAt(long millis) {
            int i = Arrays.binarySearch(visibleAtMillis, 0, count, millis + 1);
            return i >= 0 ? i : -i - 1;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(latencyMillis, count);
        }

        synchronized Map<TransactionStatus, Integer> statuses() {
            return new EnumMap<>(statuses);
        }

        private synchronized void add(int n, TransactionResult result, long visibleAt) {
            if (n < 0 || n >= expected || seen.get(n)) {
                duplicates++;
                return;
            }
            seen.set(n);
            visibleAtMillis[count] = visibleAt;
            latencyMillis[count] = visibleAt - result.getReceivedTime().toEpochMilli();
            count++;
            statuses.merge(result.getStatus(), 1, Integer::sum);
        }
    }

    final AtomicLong opens = new AtomicLong();
    final AtomicLong depositsCompleted = new AtomicLong();
    final AtomicLong depositsRejected = new AtomicLong();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConfluentAvroDecoder<TransactionResult> results;
    private final String resultsTopic;
    private final Thread thread;
    private volatile Round round;
    private volatile boolean running = true;
    private volatile Throwable failure;

    CommittedOutputs(LedgerJobConfig config) {
        resultsTopic = config.topic(Topics.TRANSACTION_RESULTS);
        results =
                new ConfluentAvroDecoder<>(
                        SchemaRegistryClient.forUrl(config.schemaRegistryUrl()),
                        TransactionResult.class);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(resultsTopic, config.topic(Topics.ACCOUNT_COMMAND_RESULTS))) {
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "bench-committed-outputs");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts tracking a round; results of earlier rounds still arriving are ignored. */
    Round startRound(String prefix, int expected) {
        Round r = new Round(prefix, expected);
        round = r;
        return r;
    }

    void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException("the results reader failed", failure);
        }
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long visibleAt = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (!record.topic().equals(resultsTopic)) {
                        opens.incrementAndGet();
                        continue;
                    }
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (key.startsWith("dep-")) {
                        TransactionResult result = results.decode(record.value());
                        (result.getStatus() == TransactionStatus.COMPLETED
                                        ? depositsCompleted
                                        : depositsRejected)
                                .incrementAndGet();
                        continue;
                    }
                    Round r = round;
                    if (r != null && key.startsWith(r.prefix)) {
                        int n = Integer.parseInt(key.substring(r.prefix.length()));
                        r.add(n, results.decode(record.value()), visibleAt);
                    }
                }
            }
        } catch (Throwable t) {
            if (running) {
                failure = t;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close();
    }
}
