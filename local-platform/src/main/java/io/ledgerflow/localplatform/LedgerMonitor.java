package io.ledgerflow.localplatform;

import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroDeserializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints what the ledger decided, as it becomes visible (committed) in Kafka: results by status and
 * reason, and the time from the API's acceptance to the committed result.
 */
final class LedgerMonitor implements AutoCloseable {

    private static final Duration EVERY = Duration.ofSeconds(5);

    private final KafkaConsumer<String, TransactionResult> consumer;
    private volatile boolean running = true;
    private Thread thread;

    LedgerMonitor(String bootstrap, String registryUrl) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer =
                new KafkaConsumer<>(
                        props,
                        new StringDeserializer(),
                        new ConfluentAvroDeserializer<>(
                                SchemaRegistryClient.forUrl(registryUrl), TransactionResult.class));
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(Topics.TRANSACTION_RESULTS)
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the positions now: results of this run start after them.
        partitions.forEach(consumer::position);
    }

    void start(GeneratedTraffic traffic) {
        thread = new Thread(() -> watch(traffic), "ledger-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(GeneratedTraffic traffic) {
        Map<String, Long> outcomes = new TreeMap<>();
        List<Long> latenciesMillis = new ArrayList<>();
        List<Long> refundLatenciesMillis = new ArrayList<>();
        long total = 0;
        long openingDeposits = 0;
        long openingDepositsShown = 0;
        long decidedSinceReport = 0;
        long nextReport = System.nanoTime() + EVERY.toNanos();
        while (running) {
            for (ConsumerRecord<String, TransactionResult> record :
                    consumer.poll(Duration.ofMillis(500))) {
                TransactionResult r = record.value();
                if (GeneratedTraffic.isOpeningDeposit(r.getTransactionId())) {
                    openingDeposits++;
                    continue;
                }
                // The latency is to the ledger's first decision: HELD for a hold (its capture,
                // void or expiry comes whenever the partner or the timer decides).
                Long acceptedAt = traffic.acceptedAt.remove(r.getTransactionId());
                if (acceptedAt != null) {
                    long millis = (System.nanoTime() - acceptedAt) / 1_000_000;
                    (traffic.refunds.remove(r.getTransactionId())
                                    ? refundLatenciesMillis
                                    : latenciesMillis)
                            .add(millis);
                }
                if (r.getStatus() == TransactionStatus.HELD) {
                    continue;
                }
                total++;
                decidedSinceReport++;
                String outcome =
                        r.getReason() == null
                                ? r.getStatus().name()
                                : r.getStatus() + "/" + r.getReason();
                outcomes.merge(outcome, 1L, Long::sum);
            }
            if (System.nanoTime() >= nextReport) {
                nextReport += EVERY.toNanos();
                // Nothing to say while the accounts are being opened and funded (the generator
                // says when that is done): no line of zeros.
                if (total == 0 && latenciesMillis.isEmpty() && traffic.accepted.get() == 0) {
                    continue;
                }
                System.out.printf(
                        "%s ledger:    %d movements decided (%d in the last 5 s) %s | API accept ->"
                                + " decision %s%s | awaiting %d%s%n",
                        LocalPlatform.now(),
                        total,
                        decidedSinceReport,
                        outcomes,
                        percentiles(latenciesMillis),
                        refundLatenciesMillis.isEmpty()
                                ? ""
                                : "; refunds (may wait up to 10 s for the credit they refund) "
                                        + percentiles(refundLatenciesMillis),
                        traffic.acceptedAt.size(),
                        openingDeposits == openingDepositsShown
                                ? ""
                                : " | opening deposits decided " + openingDeposits);
                openingDepositsShown = openingDeposits;
                latenciesMillis.clear();
                refundLatenciesMillis.clear();
                decidedSinceReport = 0;
            }
        }
    }

    private static String percentiles(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        Collections.sort(millis);
        return String.format(
                "p50 %d ms, p99 %d ms",
                millis.get(millis.size() / 2),
                millis.get((int) Math.min(millis.size() - 1, Math.ceil(millis.size() * 0.99) - 1)));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5_000);
        }
        consumer.close();
    }
}
