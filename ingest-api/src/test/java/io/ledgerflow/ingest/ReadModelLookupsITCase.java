package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The GET routes read the ledger's decisions from the real PostgreSQL read model (schema from the
 * read model's own migrations, rows written as the sinks job writes them), fall back to the API's
 * memory before the decision arrives, keep partners apart, and answer 503 rather than a false 404
 * when the read model is unreachable.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class ReadModelLookupsITCase {

    private static String url;
    private static RunningApi api;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres)
            throws SQLException {
        try (Connection admin = connect(postgres.jdbcUrl());
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS api_read_model_it");
            s.execute("CREATE DATABASE api_read_model_it");
        }
        url = postgres.jdbcUrl("api_read_model_it");
        PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD);
        api = new RunningApi(kafka, registry, readModelEnv(url));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static Map<String, String> readModelEnv(String jdbcUrl) {
        return Map.of(
                "LEDGERFLOW_READ_MODEL_JDBC_URL",
                jdbcUrl,
                "LEDGERFLOW_READ_MODEL_USER",
                PostgresServer.USER,
                "LEDGERFLOW_READ_MODEL_PASSWORD",
                PostgresServer.PASSWORD,
                "LEDGERFLOW_READ_MODEL_POOL_SIZE",
                "2");
    }

    @Test
    void aTransactionIsAcceptedUntilTheReadModelHasTheLedgersDecision() throws SQLException {
        String txId = id("tx");
        Answer posted = api.client.post("/api/v1/transactions", KEY_A, transfer(txId, "12.34"));
        assertThat(posted.status()).isEqualTo(202);

        Answer before = api.client.get("/api/v1/transactions/" + txId, KEY_A);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(before.json().has("decidedAt")).isFalse();

        Instant decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        insertTransaction(
                txId, "REJECTED", "INSUFFICIENT_FUNDS", "available 0.00 < 12.34", decided);

        Answer after = api.client.get("/api/v1/transactions/" + txId, KEY_A);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("status").asText()).isEqualTo("REJECTED");
        assertThat(after.json().get("reason").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(after.json().get("reasonDetail").asText()).isEqualTo("available 0.00 < 12.34");
        assertThat(after.json().get("amount").asText()).isEqualTo("12.34");
        assertThat(Instant.parse(after.json().get("decidedAt").asText())).isEqualTo(decided);

        assertThat(api.client.get("/api/v1/transactions/" + txId, KEY_B).status())
                .as("another partner's transaction")
                .isEqualTo(404);
        assertThat(api.client.get("/api/v1/transactions/" + id("nope"), KEY_A).code())
                .isEqualTo("TRANSACTION_NOT_FOUND");
    }

    @Test
    void aDecisionTheApiNeverSawIsStillAnswered() throws SQLException {
        // Accepted by another instance, or before this one restarted: only the read model knows it.
        String txId = id("elsewhere");
        insertTransaction(txId, "COMPLETED", null, null, Instant.now());
        Answer found = api.client.get("/api/v1/transactions/" + txId, KEY_A);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(found.json().has("reason")).isFalse();
    }

    @Test
    void anAccountShowsTheLedgersBalancesBesideTheRequestedStatus() throws SQLException {
        String accountId = id("acc");
        Answer opened =
                api.client.post(
                        "/api/v1/accounts",
                        KEY_A,
                        "{\"accountId\":\"" + accountId + "\",\"currency\":\"USD\"}");
        assertThat(opened.status()).isEqualTo(202);
        Answer before = api.client.get("/api/v1/accounts/" + accountId, KEY_A);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().get("requestedStatus").asText()).isEqualTo("OPEN");
        assertThat(before.json().has("balance")).as("ledger not decided yet").isFalse();

        insertAccount(accountId, "OPEN", 150_00, 20_00, 7);
        assertThat(api.client.post("/api/v1/accounts/" + accountId + "/freeze", KEY_A, "").status())
                .isEqualTo(202);

        Answer after = api.client.get("/api/v1/accounts/" + accountId, KEY_A);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("status").asText()).as("the ledger's").isEqualTo("OPEN");
        assertThat(after.json().get("requestedStatus").asText()).isEqualTo("FROZEN");
        assertThat(after.json().get("balance").asText()).isEqualTo("150.00");
        assertThat(after.json().get("held").asText()).isEqualTo("20.00");
        assertThat(after.json().get("available").asText()).isEqualTo("130.00");
        assertThat(after.json().get("version").asLong()).isEqualTo(7);

        assertThat(api.client.get("/api/v1/accounts/" + accountId, KEY_B).code())
                .isEqualTo("ACCOUNT_NOT_FOUND");
        Answer admin = api.client.get("/api/v1/admin/accounts/" + accountId, KEY_ADMIN);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get("partnerId").asText()).isEqualTo(PARTNER_A);
    }

    @Test
    void anUnreachableReadModelAnswers503NotAFalse404(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        String nowhere = "jdbc:postgresql://127.0.0.1:" + freePort() + "/ledgerflow";
        try (RunningApi cut = new RunningApi(kafka, registry, readModelEnv(nowhere))) {
            String known = id("known");
            assertThat(
                            cut.client
                                    .post("/api/v1/transactions", KEY_A, transfer(known, "1.00"))
                                    .status())
                    .isEqualTo(202);
            Answer fromMemory = cut.client.get("/api/v1/transactions/" + known, KEY_A);
            assertThat(fromMemory.status())
                    .as("what this instance accepted is still true")
                    .isEqualTo(200);
            assertThat(fromMemory.json().get("status").asText()).isEqualTo("ACCEPTED");

            Answer unknown = cut.client.get("/api/v1/transactions/" + id("unknown"), KEY_A);
            assertThat(unknown.status()).isEqualTo(503);
            assertThat(unknown.code()).isEqualTo("READ_MODEL_UNAVAILABLE");
            assertThat(unknown.header("Retry-After")).isPresent();
            assertThat(cut.client.get("/api/v1/accounts/" + id("acc"), KEY_A).code())
                    .isEqualTo("READ_MODEL_UNAVAILABLE");
        }
    }

    private static String transfer(String txId, String amount) {
        return "{\"transactionId\":\""
                + txId
                + "\",\"type\":\"TRANSFER\",\"sourceAccountId\":\"rm-src\","
                + "\"destinationAccountId\":\"rm-dst\",\"amount\":\""
                + amount
                + "\",\"currency\":\"USD\"}";
    }

    private static void insertTransaction(
            String txId, String status, String reason, String detail, Instant decided)
            throws SQLException {
        try (Connection c = connect(url);
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                INSERT INTO transactions (partner_id, transaction_id, type, status,
                                    status_rank, reason, reason_detail, source_account_id,
                                    destination_account_id, amount_minor, currency, event_time,
                                    received_time, decided_time)
                                VALUES (?, ?, 'TRANSFER', ?, 1, ?, ?, 'rm-src', 'rm-dst', 1234,
                                    'USD', ?, ?, ?)
                                """)) {
            Timestamp at = Timestamp.from(decided);
            ps.setString(1, PARTNER_A);
            ps.setString(2, txId);
            ps.setString(3, status);
            ps.setString(4, reason);
            ps.setString(5, detail);
            ps.setTimestamp(6, at);
            ps.setTimestamp(7, at);
            ps.setTimestamp(8, at);
            ps.executeUpdate();
        }
    }

    private static void insertAccount(
            String accountId, String status, long balance, long held, long version)
            throws SQLException {
        try (Connection c = connect(url);
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                INSERT INTO accounts (account_id, partner_id, currency,
                                    account_type, status, balance_minor, held_minor,
                                    available_minor, overdraft_limit_minor, last_sequence,
                                    version, cause_id, updated_time)
                                VALUES (?, ?, 'USD', 'CUSTOMER', ?, ?, ?, ?, 0, 3, ?, 'cmd', now())
                                """)) {
            ps.setString(1, accountId);
            ps.setString(2, PARTNER_A);
            ps.setString(3, status);
            ps.setLong(4, balance);
            ps.setLong(5, held);
            ps.setLong(6, balance - held);
            ps.setLong(7, version);
            ps.executeUpdate();
        }
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
