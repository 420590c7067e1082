package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ledgerflow.ingest.testutils.ApiClient;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-partner rate limits against the real servers: the 429 and its headers with nothing written to
 * Kafka, a batch counting its items, two API instances on one PostgreSQL holding a partner to its
 * limit together, an instance leaving (cleanly or silently) raising the other's share, and the
 * per-partner metrics. Figures are counted, not timed: "within 10%" is about admitted requests.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class PartnerRateLimitsITCase {

    private static KafkaServer kafka;
    private static SchemaRegistryServer registry;
    private static String url;

    @BeforeAll
    static void database(KafkaServer k, SchemaRegistryServer r, PostgresServer postgres)
            throws SQLException {
        kafka = k;
        registry = r;
        try (Connection admin = connect(postgres.jdbcUrl());
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS api_rate_limits_it");
            s.execute("CREATE DATABASE api_rate_limits_it");
        }
        url = postgres.jdbcUrl("api_rate_limits_it");
        PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    @BeforeEach
    void noInstances() throws SQLException {
        sql("DELETE FROM api_instances");
    }

    /** An API on the shared PostgreSQL (so it beats in api_instances) with these limits. */
    private static RunningApi api(int requestRate, int requestBurst, int movementRate, int burst) {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGERFLOW_READ_MODEL_JDBC_URL", url);
        env.put("LEDGERFLOW_READ_MODEL_USER", PostgresServer.USER);
        env.put("LEDGERFLOW_READ_MODEL_PASSWORD", PostgresServer.PASSWORD);
        env.put("LEDGERFLOW_READ_MODEL_POOL_SIZE", "2");
        env.put("LEDGERFLOW_PARTNER_REQUEST_RATE", Integer.toString(requestRate));
        env.put("LEDGERFLOW_PARTNER_REQUEST_BURST", Integer.toString(requestBurst));
        env.put("LEDGERFLOW_PARTNER_MOVEMENT_RATE", Integer.toString(movementRate));
        env.put("LEDGERFLOW_PARTNER_MOVEMENT_BURST", Integer.toString(burst));
        return new RunningApi(kafka, registry, env);
    }

    @Test
    void overTheRequestLimitA429WithHeadersAndNothingWritten() {
        try (RunningApi api = api(1, 5, 1000, 1000)) {
            Map<TopicPartition, Long> before = api.topic.endOffsets();
            int accepted = 0;
            Answer refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                Answer answer = api.client.post("/api/v1/transactions", KEY_A, transfer());
                if (answer.status() == 202) {
                    accepted++;
                    assertThat(answer.header("RateLimit-Policy"))
                            .contains("\"requests\";q=1;w=1, \"movements\";q=1000;w=1");
                    assertThat(answer.header("RateLimit").orElseThrow())
                            .startsWith("\"requests\";r=");
                } else {
                    refused = answer;
                }
            }

            // The burst of 5, and at most a token or two refilled (1/s) while they were sent.
            assertThat(accepted).isBetween(5, 7);
            assertThat(refused).isNotNull();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Content-Type")).contains("application/problem+json");
            assertThat(refused.code()).isEqualTo("RATE_LIMITED");
            assertThat(refused.json().get("status").asInt()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).contains("1");
            assertThat(refused.header("RateLimit-Policy")).contains("\"requests\";q=1;w=1");
            assertThat(refused.header("RateLimit")).contains("\"requests\";r=0;t=1");
            // Nothing of the refused request reached Kafka: exactly the accepted ones did.
            assertThat(api.topic.countSince(before)).isEqualTo(accepted);

            // Another partner is not affected.
            assertThat(api.client.post("/api/v1/transactions", KEY_B, transfer()).status())
                    .isEqualTo(202);

            String metrics = api.client.get("/metrics", null).body();
            assertThat(metrics)
                    .contains(
                            "ingest_partner_requests_throttled_total{limit=\"requests\",partner=\"partner-a\"} 1.0")
                    .contains(
                            "ingest_partner_movements_accepted_total{partner=\"partner-a\"} "
                                    + accepted
                                    + ".0")
                    .contains("ingest_partner_requests_accepted_total{partner=\"partner-b\"} 1.0")
                    .contains(
                            "ingest_partner_request_duration_seconds_count{partner=\"partner-a\"} "
                                    + (accepted + 1))
                    .contains("ingest_api_instances_live 1.0");
        }
    }

    @Test
    void aBatchCountsItsItemsAgainstTheMovementLimit() {
        try (RunningApi api = api(1000, 1000, 1, 10)) {
            Map<TopicPartition, Long> before = api.topic.endOffsets();

            Answer eight = api.client.post("/api/v1/transactions:batch", KEY_A, batch(8));
            assertThat(eight.status()).isEqualTo(200);
            assertThat(eight.json().get("accepted").asInt()).isEqualTo(8);

            Answer five = api.client.post("/api/v1/transactions:batch", KEY_A, batch(5));
            assertThat(five.status()).isEqualTo(429);
            assertThat(five.code()).isEqualTo("RATE_LIMITED");
            assertThat(five.header("RateLimit-Policy"))
                    .contains("\"requests\";q=1000;w=1, \"movements\";q=1;w=1");
            assertThat(five.header("RateLimit").orElseThrow()).contains("\"movements\";r=");
            // About 2 movements left, 3 more needed at 1/s: the batch fits again in 3 s or less.
            assertThat(Long.parseLong(five.header("Retry-After").orElseThrow())).isBetween(1L, 3L);

            Answer two = api.client.post("/api/v1/transactions:batch", KEY_A, batch(2));
            assertThat(two.status()).isEqualTo(200);
            assertThat(api.topic.countSince(before)).isEqualTo(10);
            assertThat(api.client.get("/metrics", null).body())
                    .contains(
                            "ingest_partner_requests_throttled_total{limit=\"movements\",partner=\"partner-a\"} 1.0")
                    .contains(
                            "ingest_partner_movements_accepted_total{partner=\"partner-a\"} 10.0");
        }
    }

    @Test
    void twoInstancesHoldAPartnerToItsLimitAndOneLeavingRaisesTheOthersShare() {
        int rate = 20;
        try (RunningApi first = api(rate, rate, 1000, 1000)) {
            RunningApi second = api(rate, rate, 1000, 1000);
            try {
                awaitLiveInstances(first.client, 2);
                awaitLiveInstances(second.client, 2);

                List<ApiClient> both = List.of(first.client, second.client);
                drain(both);
                int admitted = admittedDuring(both, Duration.ofSeconds(4));
                // Each admits 10/s: together the partner's 20/s, 80 in 4 s.
                assertThat((double) admitted).isCloseTo(rate * 4, within(rate * 4 * 0.1));
            } finally {
                second.close();
            }

            // A clean stop deletes its row: the survivor counts one instance and takes it all.
            awaitLiveInstances(first.client, 1);
            drain(List.of(first.client));
            int alone = admittedDuring(List.of(first.client), Duration.ofSeconds(3));
            assertThat((double) alone).isCloseTo(rate * 3, within(rate * 3 * 0.1));
        }
    }

    @Test
    void anInstanceThatDiesSilentlyStopsCountingAfterTheLivenessWindow() throws Exception {
        try (RunningApi api = api(20, 20, 1000, 1000)) {
            awaitLiveInstances(api.client, 1);
            // Another instance, played by this test: it beats every 500 ms, then dies without
            // deleting its row.
            ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
            try {
                sql(
                        "INSERT INTO api_instances VALUES ('other', clock_timestamp(), clock_timestamp())");
                other.scheduleWithFixedDelay(
                        () -> {
                            try {
                                sql(
                                        "UPDATE api_instances SET heartbeat_at = clock_timestamp()"
                                                + " WHERE instance_id = 'other'");
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        500,
                        500,
                        TimeUnit.MILLISECONDS);
                awaitLiveInstances(api.client, 2);
                drain(List.of(api.client));
                // Half of 20/s for 2 s.
                assertThat(admittedDuring(List.of(api.client), Duration.ofSeconds(2)))
                        .isBetween(18, 22);
            } finally {
                other.shutdownNow();
            }

            // Liveness 3 s, heartbeat 1 s: counted out within about 4 s, and the share is whole.
            awaitLiveInstances(api.client, 1);
            drain(List.of(api.client));
            assertThat(admittedDuring(List.of(api.client), Duration.ofSeconds(2)))
                    .isBetween(36, 44);
        }
    }

    /** Sends until every instance refuses: the bursts are spent, what follows is the rate. */
    private static void drain(List<ApiClient> clients) {
        for (ApiClient client : clients) {
            for (int i = 0; i < 1000 && lookup(client) != 429; i++) {
                // keep sending
            }
        }
    }

    /** As fast as one thread can, round-robin over the instances; returns the admitted ones. */
    private static int admittedDuring(List<ApiClient> clients, Duration window) {
        long end = System.nanoTime() + window.toNanos();
        int admitted = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            if (lookup(clients.get(i % clients.size())) != 429) {
                admitted++;
            }
        }
        return admitted;
    }

    /** A cheap request of partner B: a status lookup (404, nothing written). */
    private static int lookup(ApiClient client) {
        return client.get("/api/v1/transactions/none-" + UUID.randomUUID(), KEY_B).status();
    }

    private static void awaitLiveInstances(ApiClient client, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double live = -1;
        while (System.nanoTime() < deadline) {
            live = gauge(client.get("/metrics", null).body(), "ingest_api_instances_live");
            if (live == expected) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("expected " + expected + " live instances, counted " + live);
    }

    private static double gauge(String metrics, String name) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst()
                .orElse(-1);
    }

    private static String transfer() {
        return IngestApiITCase.transfer(
                "rl-" + UUID.randomUUID().toString().substring(0, 18),
                "acc-rl-1",
                "acc-rl-2",
                "1.00");
    }

    private static String batch(int items) {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < items; i++) {
            body.append(i == 0 ? "" : ",").append(transfer());
        }
        return body.append("]}").toString();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = connect(url);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
