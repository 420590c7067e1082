package io.ledgerflow.sinks.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.ClickHouseSettings;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.sinks.clickhouse.AnalystQueries;
import io.ledgerflow.sinks.clickhouse.ClickHouseMigrations;
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import io.ledgerflow.sinks.reconcile.ReconcileCommand.Round;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Internal reconciliation against the real servers: committed entries in the entries topic (and an
 * aborted transaction that must not count), the same entries in PostgreSQL and ClickHouse, then a
 * row deleted in PostgreSQL, an amount altered in ClickHouse and a tampered entry in the topic.
 * Each is found with its kind, window, figures and age in both stores' reconciliation tables; a
 * window the sinks have not flushed yet is not reported; once the stores are repaired their
 * mismatches clear, while the tampered entry (the topic cannot be repaired) stays open.
 */
@ExtendWith({
    PostgresExtension.class,
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    ClickHouseExtension.class
})
class ReconciliationITCase {

    private static final String PREFIX = "reconcile-it.";

    @Test
    void mismatchesAreFoundAgeAndClearOnceRepaired(
            PostgresServer postgres,
            KafkaServer kafka,
            SchemaRegistryServer registry,
            ClickHouseServer clickHouse)
            throws Exception {
        String pgUrl = StoreRows.createDatabase(postgres, "reconcile_it");
        PostgresMigrations.apply(pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
        ClickHouseTarget ch =
                new ClickHouseTarget(
                        "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                        "reconcile_it",
                        "default",
                        "");
        try (Connection c = ch.connectToServer()) {
            c.createStatement().execute("DROP DATABASE IF EXISTS reconcile_it");
        }
        ClickHouseMigrations.apply(ch);
        String topic = PREFIX + Topics.LEDGER_ENTRIES;
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }

        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant w1 = t0.minus(Duration.ofMinutes(10));
        Instant w2 = t0.minus(Duration.ofMinutes(9));
        List<LedgerEntry> entries =
                new Postings()
                        .deposit("p1", "acc-a", "EUR", 100, w1.plusSeconds(5))
                        .deposit("p1", "acc-a", "EUR", 250, w1.plusSeconds(20))
                        .deposit("p1", "acc-a", "EUR", 40, w1.plusSeconds(40))
                        .deposit("p2", "acc-c", "USD", 700, w2.plusSeconds(10))
                        .deposit("p2", "acc-c", "USD", 300, w2.plusSeconds(30))
                        .deposit("p1", "acc-b", "EUR", 500, w2.plusSeconds(15))
                        .deposit("p1", "acc-b", "EUR", 60, w2.plusSeconds(45))
                        // Posted 5 s before the first round: its window has not settled then.
                        .deposit("p1", "acc-a", "EUR", 10, t0.minusSeconds(5))
                        .entries();
        List<LedgerEntry> committed = new ArrayList<>(entries);
        // acc-b #2 tampered: its amount changed after it was hashed.
        int accB2 = indexOf(committed, "acc-b", 2);
        committed.set(accB2, Postings.tampered(committed.get(accB2), 600));
        LedgerEntry lastRecent = committed.get(committed.size() - 2); // the recent credit
        List<LedgerEntry> flushedLate = List.of(lastRecent, committed.get(committed.size() - 1));
        produce(kafka, registry, topic, committed);

        // The stores as the sinks would have left them, less the late window's entries in
        // PostgreSQL (its flush is still to come), then broken on purpose.
        List<LedgerEntry> stored = new ArrayList<>(committed);
        LedgerEntry accA2 = committed.get(indexOf(committed, "acc-a", 2));
        LedgerEntry accC1 = committed.get(indexOf(committed, "acc-c", 1));
        try (Connection c = pg(pgUrl)) {
            List<LedgerEntry> toPostgres = new ArrayList<>(stored);
            toPostgres.removeAll(flushedLate);
            toPostgres.remove(accA2); // missing row
            ReconcileStores.insertPostgres(c, toPostgres);
        }
        try (Connection c = ch.connect()) {
            ReconcileStores.insertClickHouse(c, stored);
            // altered amount: the same row again with another amount (the later insert wins)
            ReconcileStores.insertClickHouse(
                    c, List.of(LedgerEntry.newBuilder(accC1).setAmountMinor(7000).build()));
        }

        TestClock clock = new TestClock(t0);
        ReconcileConfig config =
                new ReconcileConfig(
                        new KafkaSettings(kafka.bootstrapServers(), PREFIX),
                        new RegistrySettings(registry.url()),
                        new PostgresSettings(
                                pgUrl, PostgresServer.USER, Secret.of(PostgresServer.PASSWORD)),
                        new ClickHouseSettings(ch.url(), ch.database(), "default", Secret.of("")),
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(30),
                        Duration.ofDays(1),
                        Duration.ofSeconds(30),
                        0,
                        false);
        String w1s = w1.toString();
        String w2s = w2.toString();
        try (ReconcileCommand command = new ReconcileCommand(config, clock)) {
            Round first = command.round();
            assertThat(first.entriesRead()).as("committed only").isEqualTo(committed.size());
            List<String> open =
                    List.of(
                            "MISSING_IN_POSTGRES|p1|EUR|"
                                    + w1s
                                    + "||3 entries, amount 390"
                                    + "|2 entries, amount 140|OPEN",
                            "AMOUNT_MISMATCH_CLICKHOUSE|p2|USD|"
                                    + w2s
                                    + "||2 entries,"
                                    + " amount 1000|2 entries, amount 7300|OPEN",
                            "SUM_NOT_ZERO||EUR|" + w2s + "||0|540|OPEN",
                            "CHAIN_BREAK|p1|EUR|"
                                    + w2s
                                    + "|acc-b|an intact chain"
                                    + "|ALTERED_ENTRY at #2|OPEN");
            assertThat(postgresRows(pgUrl)).containsExactlyInAnyOrderElementsOf(open);
            assertThat(clickHouseRows(ch)).containsExactlyInAnyOrderElementsOf(open);
            assertThat(ages(pgUrl, t0)).containsOnly("0|");
            assertThat(first.open().total()).isEqualTo(4);

            // The late window's rows arrive in PostgreSQL; 40 s later nothing new is reported.
            try (Connection c = pg(pgUrl)) {
                ReconcileStores.insertPostgres(c, flushedLate);
            }
            clock.advance(Duration.ofSeconds(40));
            Round second = command.round();
            assertThat(second.entriesRead()).isZero();
            assertThat(postgresRows(pgUrl)).containsExactlyInAnyOrderElementsOf(open);
            assertThat(clickHouseRows(ch)).containsExactlyInAnyOrderElementsOf(open);
            assertThat(ages(pgUrl, clock.instant())).containsOnly("40|");
            ReconcileMetrics metrics = new ReconcileMetrics();
            metrics.update(second);
            assertThat(metrics.text())
                    .contains(
                            "ledgerflow_reconciliation_open_mismatches{kind=\"MISSING_IN_POSTGRES\"} 1",
                            "ledgerflow_reconciliation_open_mismatches{kind=\"EXTRA_IN_POSTGRES\"} 0",
                            "ledgerflow_reconciliation_oldest_open_age_seconds 40.000");
            assertThat(run(ch, AnalystQueries.RECONCILIATION_OPEN))
                    .containsExactly(
                            "AMOUNT_MISMATCH_CLICKHOUSE|1|" + ts(t0) + "|40",
                            "CHAIN_BREAK|1|" + ts(t0) + "|40",
                            "MISSING_IN_POSTGRES|1|" + ts(t0) + "|40",
                            "SUM_NOT_ZERO|1|" + ts(t0) + "|40");

            // Repaired: the missing row written, the right amount written again.
            try (Connection c = pg(pgUrl)) {
                ReconcileStores.insertPostgres(c, List.of(accA2));
            }
            try (Connection c = ch.connect()) {
                ReconcileStores.insertClickHouse(c, List.of(accC1));
            }
            clock.advance(Duration.ofSeconds(30));
            Round third = command.round();
            List<String> after =
                    List.of(
                            "MISSING_IN_POSTGRES|p1|EUR|"
                                    + w1s
                                    + "||3 entries, amount 390"
                                    + "|2 entries, amount 140|CLEARED",
                            "AMOUNT_MISMATCH_CLICKHOUSE|p2|USD|"
                                    + w2s
                                    + "||2 entries,"
                                    + " amount 1000|2 entries, amount 7300|CLEARED",
                            "SUM_NOT_ZERO||EUR|" + w2s + "||0|540|OPEN",
                            "CHAIN_BREAK|p1|EUR|"
                                    + w2s
                                    + "|acc-b|an intact chain"
                                    + "|ALTERED_ENTRY at #2|OPEN");
            assertThat(postgresRows(pgUrl)).containsExactlyInAnyOrderElementsOf(after);
            assertThat(clickHouseRows(ch)).containsExactlyInAnyOrderElementsOf(after);
            assertThat(ages(pgUrl, clock.instant()))
                    .as("cleared after 70 s; the open ones are 70 s old")
                    .containsExactlyInAnyOrder("70|70", "70|70", "70|", "70|");
            assertThat(third.open().total()).isEqualTo(2);
            assertThat(run(ch, AnalystQueries.RECONCILIATION_OPEN))
                    .containsExactly(
                            "CHAIN_BREAK|1|" + ts(t0) + "|70", "SUM_NOT_ZERO|1|" + ts(t0) + "|70");
            String day = t0.toString().substring(0, 10);
            assertThat(run(ch, AnalystQueries.RECONCILIATION_CLEARED_BY_KIND))
                    .containsExactly(
                            "AMOUNT_MISMATCH_CLICKHOUSE|" + day + "|1|70|70",
                            "MISSING_IN_POSTGRES|" + day + "|1|70|70");
        }
    }

    private static int indexOf(List<LedgerEntry> entries, String account, long sequence) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getAccountId().equals(account)
                    && entries.get(i).getSequence() == sequence) {
                return i;
            }
        }
        throw new IllegalArgumentException(account + "#" + sequence);
    }

    /** Writes the entries in two committed Kafka transactions, and one aborted in between. */
    private static void produce(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            String topic,
            List<LedgerEntry> entries)
            throws Exception {
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());
        try (KafkaProducer<String, LedgerEntry> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "reconcile-it"),
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(client, LedgerEntry.class))) {
            producer.initTransactions();
            int half = entries.size() / 2;
            producer.beginTransaction();
            for (LedgerEntry e : entries.subList(0, half)) {
                producer.send(new ProducerRecord<>(topic, e.getAccountId(), e));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            "acc-a",
                            LedgerEntry.newBuilder(entries.get(0)).setAmountMinor(1).build()));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (LedgerEntry e : entries.subList(half, entries.size())) {
                producer.send(new ProducerRecord<>(topic, e.getAccountId(), e));
            }
            producer.commitTransaction();
        }
    }

    private static Connection pg(String url) throws Exception {
        return DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static final String ROW =
            "kind, partner_id, currency, window_start, subject, expected, found, status";

    private static List<String> postgresRows(String url) throws Exception {
        try (Connection c = pg(url)) {
            return StoreRows.query(
                    c,
                    "SELECT kind, partner_id, currency,"
                            + " to_char(window_start AT TIME ZONE 'UTC',"
                            + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), subject, expected, found, status"
                            + " FROM reconciliation");
        }
    }

    private static List<String> clickHouseRows(ClickHouseTarget ch) throws Exception {
        try (Connection c = ch.connect()) {
            return StoreRows.query(
                    c,
                    "SELECT kind, partner_id, currency,"
                            + " formatDateTime(window_start, '%Y-%m-%dT%H:%i:%SZ', 'UTC'), subject,"
                            + " expected, found, status FROM reconciliation FINAL");
        }
    }

    /** Per row: seconds from first seen to {@code now}, and to when it cleared (empty if open). */
    private static List<String> ages(String url, Instant now) throws Exception {
        try (Connection c = pg(url)) {
            return StoreRows.query(
                    c,
                    "SELECT extract(epoch FROM (TIMESTAMPTZ '"
                            + now
                            + "' - first_seen))::bigint,"
                            + " extract(epoch FROM (cleared_time - first_seen))::bigint"
                            + " FROM reconciliation");
        }
    }

    private static List<String> run(ClickHouseTarget ch, AnalystQueries query) throws Exception {
        try (Connection c = ch.connect()) {
            return StoreRows.query(c, query.sql());
        }
    }

    private static String ts(Instant t) {
        return t.toString().replace('T', ' ').replace("Z", "");
    }
}
