package io.ledgerflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
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
 * The {@code verify-chain} command against the real stores: it passes untouched chains and finds a
 * tampered entry, in the read model (PostgreSQL, an amount changed in place) and in the entries
 * topic (Kafka, a committed entry whose content does not match its hash), and ignores what an
 * aborted transaction wrote there.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class, SchemaRegistryExtension.class})
class VerifyChainITCase {

    /** What one run of the command printed and returned. */
    private record Run(int status, String out, String err) {}

    private static Run verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                VerifyChainMain.run(
                        args,
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReadModelsChainsPassUntouchedAndATamperedAmountIsFound(PostgresServer postgres)
            throws SQLException {
        String url = database(postgres, "audit_it");
        PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD);
        List<LedgerEntry> entries = new ArrayList<>(Chains.deposits("p1", "acc-a", 5, 1));
        entries.addAll(Chains.deposits("p1", "acc-b", 4, 2));
        entries.addAll(Chains.deposits("p2", "acc-c", 3, 2));
        insert(url, entries);
        String[] pg = {
            "--postgres-url", url,
            "--postgres-user", PostgresServer.USER,
            "--postgres-password", PostgresServer.PASSWORD
        };

        Run intact = verify(concat(pg, "--partner", "p1"));
        assertThat(intact.status()).as(intact.out() + intact.err()).isZero();
        assertThat(intact.out()).contains("9 entries of 2 accounts read; 0 broken", "INTACT");

        try (Connection c = connect(url);
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "UPDATE ledger_entries SET amount_minor = 100000 WHERE account_id = 'acc-b'"
                            + " AND sequence = 3");
        }
        Run broken = verify(concat(pg, "--partner", "p1"));
        assertThat(broken.status()).as(broken.out() + broken.err()).isEqualTo(1);
        assertThat(broken.out())
                .contains("ALTERED_ENTRY at acc-b#3", "CREDIT 100000 EUR", "1 broken", "BROKEN")
                .doesNotContain("acc-a#");
        assertThat(verify(concat(pg, "--account", "acc-a")).status())
                .as("another account of the partner")
                .isZero();

        try (Connection c = connect(url);
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "DELETE FROM ledger_entries WHERE account_id = 'acc-c' AND sequence = 2");
        }
        Run gap = verify(concat(pg, "--account", "acc-c"));
        assertThat(gap.status()).isEqualTo(1);
        assertThat(gap.out()).contains("MISSING_ENTRIES at acc-c#3", "#2 to #2 are missing");
    }

    @Test
    void theTopicsCommittedChainsPassAndATamperedEntryIsFound(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        String prefix = "audit-it.";
        String topic = prefix + Topics.LEDGER_ENTRIES;
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        List<LedgerEntry> a = Chains.deposits("p1", "acc-a", 6, 2);
        List<LedgerEntry> b = Chains.deposits("p1", "acc-b", 6, 2);
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());
        try (KafkaProducer<String, LedgerEntry> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "audit-it"),
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(client, LedgerEntry.class))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "acc-a", a.get(i)));
                producer.send(new ProducerRecord<>(topic, "acc-b", b.get(i)));
            }
            producer.commitTransaction();
            // A transaction the ledger aborted (a failed checkpoint): never part of the chain.
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "acc-a", Chains.altered(a.get(3), 5, false)));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 3; i < 6; i++) {
                producer.send(new ProducerRecord<>(topic, "acc-a", a.get(i)));
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                "acc-b",
                                i == 4 ? Chains.altered(b.get(i), 999, false) : b.get(i)));
            }
            producer.commitTransaction();
        }
        String[] source = {
            "--source",
            "kafka",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--schema-registry-url",
            registry.url(),
            "--topic-prefix",
            prefix
        };

        Run intact = verify(concat(source, "--account", "acc-a"));
        assertThat(intact.status()).as(intact.out() + intact.err()).isZero();
        assertThat(intact.out()).contains("6 entries of 1 accounts read", "INTACT");

        Run broken = verify(concat(source, "--partner", "p1"));
        assertThat(broken.status()).as(broken.out() + broken.err()).isEqualTo(1);
        assertThat(broken.out()).contains("ALTERED_ENTRY at acc-b#5", "CREDIT 999 EUR", "BROKEN");
    }

    @Test
    void aCommandLineWithoutAScopeIsAUsageError() {
        Run run = verify("--source", "postgres");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("give exactly one of --account and --partner");
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String database(PostgresServer postgres, String name) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.jdbcUrl(name);
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    /** As the sinks write them (the columns of the read model's ledger_entries). */
    private static void insert(String url, List<LedgerEntry> entries) throws SQLException {
        try (Connection c = connect(url);
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO ledger_entries (account_id, sequence, transaction_id,"
                                        + " partner_id, movement_type, direction, amount_minor,"
                                        + " currency, balance_after_minor,"
                                        + " counterparty_account_id, reversal, event_time,"
                                        + " posted_time, previous_hash, hash, hash_format)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                        + " ?)")) {
            for (LedgerEntry e : entries) {
                ps.setString(1, e.getAccountId());
                ps.setLong(2, e.getSequence());
                ps.setString(3, e.getTransactionId());
                ps.setString(4, e.getPartnerId());
                ps.setString(5, e.getMovementType().name());
                ps.setString(6, e.getDirection().name());
                ps.setLong(7, e.getAmountMinor());
                ps.setString(8, e.getCurrency());
                ps.setLong(9, e.getBalanceAfterMinor());
                ps.setString(10, e.getCounterpartyAccountId());
                ps.setBoolean(11, e.getReversal());
                ps.setTimestamp(12, Timestamp.from(e.getEventTime()));
                ps.setTimestamp(13, Timestamp.from(e.getPostedTime()));
                ps.setString(14, e.getPreviousHash());
                ps.setString(15, e.getHash());
                ps.setInt(16, e.getHashFormat());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
