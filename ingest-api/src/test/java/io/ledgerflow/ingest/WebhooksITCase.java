package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.LedgerResults.account;
import static io.ledgerflow.ingest.testutils.LedgerResults.transaction;
import static io.ledgerflow.ingest.testutils.LedgerResults.transfer;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_A;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_B;
import static io.ledgerflow.ingest.testutils.WebhookReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.ingest.testutils.ApiClient;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.LedgerResults;
import io.ledgerflow.ingest.testutils.Notifiers;
import io.ledgerflow.ingest.testutils.PartnerDatabases;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.ingest.testutils.StandardWebhooksVerifier;
import io.ledgerflow.ingest.testutils.WebhookReceiver;
import io.ledgerflow.ingest.testutils.WebhookReceiver.Received;
import io.ledgerflow.ingest.webhooks.Notifier;
import io.ledgerflow.ingest.webhooks.PartnerEvents;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, webhooks, end to end against real Kafka, registry and PostgreSQL: the ledger's results
 * are written to Kafka in transactions as the ledger job writes them (committed, and aborted), the
 * notifier reads them, and real HTTP receivers started here get the webhooks, whose signatures the
 * Standard Webhooks reference library verifies (Node, npm {@code standardwebhooks}). Endpoints are
 * managed through the API. Each test has its own topics and consumer group.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class WebhooksITCase {

    private static final String HOOKS = "/api/v1/webhooks/endpoints";

    private static KafkaServer kafka;
    private static SchemaRegistryServer registry;
    private static String jdbcUrl;
    private static RunningApi api;
    private static ApiClient client;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void start(KafkaServer k, SchemaRegistryServer r, PostgresServer postgres) {
        kafka = k;
        registry = r;
        jdbcUrl = PartnerDatabases.create(postgres, "webhooks_it");
        Map<String, String> env = new HashMap<>(PartnerDatabases.env(jdbcUrl));
        env.put("LEDGERFLOW_WEBHOOK_URL_POLICY", "development");
        api = new RunningApi(kafka, registry, env);
        client = api.client;
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        for (String key : List.of(KEY_A, KEY_B)) {
            for (JsonNode e : client.get(HOOKS, key).json().path("endpoints")) {
                client.delete(HOOKS + "/" + e.path("endpointId").asText(), key);
            }
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }

    /** Topics, a results writer and a notifier of this test's own. */
    private LedgerResults results(String prefix) {
        return closeLater(new LedgerResults(kafka.bootstrapServers(), registry.url(), prefix));
    }

    private Map<String, String> notifierEnv(String prefix) {
        return Notifiers.env(kafka, registry, jdbcUrl, prefix, prefix + "notifier");
    }

    private record Created(String id, String secret) {}

    private static Created endpoint(String key, String url, String... types) {
        String typesJson =
                types.length == 0
                        ? ""
                        : ", \"eventTypes\": ["
                                + java.util.Arrays.stream(types)
                                        .map(t -> "\"" + t + "\"")
                                        .collect(Collectors.joining(","))
                                + "]";
        Answer created = client.post(HOOKS, key, "{\"url\": \"" + url + "\"" + typesJson + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Created(
                created.json().path("endpointId").asText(), created.json().path("secret").asText());
    }

    private static List<String> verified(Created endpoint, List<Received> received)
            throws Exception {
        return StandardWebhooksVerifier.verify(endpoint.secret(), received);
    }

    // ------------------------------------------------------------------ every event type

    @Test
    void everyEventTypeIsDeliveredSignedAndVerifiedByTheReferenceLibrary() throws Exception {
        String prefix = "it-hooks-all-";
        LedgerResults ledger = results(prefix);
        WebhookReceiver receiver = closeLater(new WebhookReceiver());
        Created endpoint = endpoint(KEY_A, receiver.url("/hooks"));
        closeLater(Notifiers.start(notifierEnv(prefix)));

        String acc = "all-acc-1";
        List<SpecificRecord> decided = new ArrayList<>();
        decided.add(account(PARTNER_A, "all-open", acc, AccountCommandType.OPEN, true));
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-dep",
                        MovementType.DEPOSIT,
                        TransactionStatus.COMPLETED,
                        null,
                        acc));
        decided.add(transfer(PARTNER_A, "all-tr", acc));
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-rej",
                        MovementType.TRANSFER,
                        TransactionStatus.REJECTED,
                        acc,
                        "x"));
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-ref",
                        MovementType.REFUND,
                        TransactionStatus.COMPLETED,
                        acc,
                        "x"));
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-hold",
                        MovementType.HOLD,
                        TransactionStatus.HELD,
                        acc,
                        null));
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-hold",
                        MovementType.HOLD,
                        TransactionStatus.CAPTURED,
                        acc,
                        null));
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-hold2",
                        MovementType.HOLD,
                        TransactionStatus.VOIDED,
                        acc,
                        null));
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-hold3",
                        MovementType.HOLD,
                        TransactionStatus.EXPIRED,
                        acc,
                        null));
        decided.add(account(PARTNER_A, "all-freeze", acc, AccountCommandType.FREEZE, true));
        decided.add(account(PARTNER_A, "all-unfreeze", acc, AccountCommandType.UNFREEZE, true));
        decided.add(account(PARTNER_A, "all-close", acc, AccountCommandType.CLOSE, true));
        // No events: a VOID's own result (the hold's hold.voided says it), a refused command,
        // another partner's result, and results of a transaction that was aborted.
        decided.add(
                transaction(
                        PARTNER_A,
                        "all-void",
                        MovementType.VOID,
                        TransactionStatus.COMPLETED,
                        acc,
                        null));
        decided.add(account(PARTNER_A, "all-refused", acc, AccountCommandType.FREEZE, false));
        decided.add(transfer(PARTNER_B, "all-other-partner", "b-acc"));
        ledger.aborted(
                List.of(
                        transfer(PARTNER_A, "all-aborted", acc),
                        account(
                                PARTNER_A,
                                "all-aborted-open",
                                "ab",
                                AccountCommandType.OPEN,
                                true)));
        ledger.commit(decided);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(
                PartnerEvents.eventId("account", PARTNER_A, "all-open", "OPEN"), "account.opened");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-dep", "COMPLETED"),
                "transaction.completed");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-tr", "COMPLETED"),
                "transaction.completed");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-rej", "REJECTED"),
                "transaction.rejected");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-ref", "COMPLETED"),
                "refund.completed");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-hold", "HELD"), "hold.held");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-hold", "CAPTURED"),
                "hold.captured");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-hold2", "VOIDED"),
                "hold.voided");
        expected.put(
                PartnerEvents.eventId("transaction", PARTNER_A, "all-hold3", "EXPIRED"),
                "hold.expired");
        expected.put(
                PartnerEvents.eventId("account", PARTNER_A, "all-freeze", "FREEZE"),
                "account.frozen");
        expected.put(
                PartnerEvents.eventId("account", PARTNER_A, "all-unfreeze", "UNFREEZE"),
                "account.unfrozen");
        expected.put(
                PartnerEvents.eventId("account", PARTNER_A, "all-close", "CLOSE"),
                "account.closed");

        await(
                "12 events delivered",
                Duration.ofSeconds(60),
                () -> receiver.delivered().size() >= 12);
        // Time for anything that should not come (aborted, other partner, no-event results).
        Thread.sleep(1500);
        Map<String, Received> got = receiver.delivered();
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Received r : got.values()) {
            JsonNode body = ApiClient.JSON.readTree(r.body());
            assertThat(body.path("type").asText()).isEqualTo(expected.get(r.id()));
            assertThat(body.path("id").asText()).isEqualTo(r.id());
        }
        JsonNode rejected =
                ApiClient.JSON.readTree(
                        got.get(
                                        PartnerEvents.eventId(
                                                "transaction", PARTNER_A, "all-rej", "REJECTED"))
                                .body());
        assertThat(rejected.path("data").path("reason").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(rejected.path("data").path("amount").asText()).isEqualTo("12.34");

        List<String> verdicts = verified(endpoint, receiver.received());
        assertThat(verdicts)
                .hasSize(receiver.received().size())
                .allMatch(v -> v.startsWith("ok "), "verified");
        // And the reference library refuses a forged one: the verification can fail.
        Received one = receiver.received().get(0);
        Received forged =
                new Received(
                        one.path(),
                        one.id(),
                        one.timestamp(),
                        one.signature(),
                        one.body().replace("EUR", "USD").replace("\"id\"", "\"id\" "),
                        204,
                        one.at());
        assertThat(verified(endpoint, List.of(forged)))
                .singleElement()
                .asString()
                .startsWith("bad ");
        assertThat(
                        verified(
                                new Created(
                                        endpoint.id(),
                                        "whsec_"
                                                + java.util.Base64.getEncoder()
                                                        .encodeToString(new byte[32])),
                                List.of(one)))
                .singleElement()
                .asString()
                .startsWith("bad ");
    }

    // ------------------------------------------------------------------ a receiver that fails

    @Test
    void aReceiverThatFailsForAWhileGetsEverythingAndEachAccountInOrder() throws Exception {
        String prefix = "it-hooks-flaky-";
        LedgerResults ledger = results(prefix);
        WebhookReceiver receiver = closeLater(new WebhookReceiver());
        receiver.answer(503, Duration.ZERO);
        Created endpoint = endpoint(KEY_A, receiver.url("/flaky"), "transaction.completed");
        closeLater(Notifiers.start(notifierEnv(prefix)));

        List<String> accounts = List.of("flaky-1", "flaky-2", "flaky-3");
        Map<String, List<String>> produced = new LinkedHashMap<>();
        for (int batch = 0; batch < 5; batch++) {
            List<SpecificRecord> results = new ArrayList<>();
            for (String acc : accounts) {
                String id = "flaky-" + acc + "-" + batch;
                results.add(transfer(PARTNER_A, id, acc));
                produced.computeIfAbsent(acc, a -> new ArrayList<>())
                        .add(PartnerEvents.eventId("transaction", PARTNER_A, id, "COMPLETED"));
            }
            ledger.commit(results);
        }
        await("failed attempts", Duration.ofSeconds(30), () -> receiver.received().size() >= 6);
        Thread.sleep(2000);
        assertThat(receiver.delivered()).isEmpty();
        receiver.answer(200, Duration.ZERO);
        await(
                "15 events after recovery",
                Duration.ofSeconds(60),
                () -> receiver.delivered().size() >= 15);

        // Each account's events arrived in the order they were recorded (the results topic is
        // keyed by transaction id, so one account's results may be read from several partitions:
        // recording order is what the notifier can keep), every one verified.
        Map<String, List<String>> arrived = new LinkedHashMap<>();
        for (Received r : receiver.deliveredInOrder()) {
            String acc =
                    ApiClient.JSON.readTree(r.body()).path("data").path("sourceAccountId").asText();
            arrived.computeIfAbsent(acc, a -> new ArrayList<>()).add(r.id());
        }
        Map<String, List<String>> recorded = new LinkedHashMap<>();
        try (java.sql.Connection c = PartnerDatabases.connect(jdbcUrl);
                java.sql.PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT order_key, event_id FROM partner_events WHERE order_key"
                                        + " LIKE 'flaky-%' ORDER BY seq");
                java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                recorded.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(rs.getString(2));
            }
        }
        assertThat(arrived).isEqualTo(recorded);
        assertThat(arrived.keySet()).isEqualTo(produced.keySet());
        produced.forEach(
                (acc, ids) ->
                        assertThat(arrived.get(acc)).containsExactlyInAnyOrderElementsOf(ids));
        assertThat(verified(endpoint, receiver.received())).allMatch(v -> v.startsWith("ok "));

        // The delivery log has every attempt: the 503s (status, latency) and the successes.
        JsonNode log =
                client.get(HOOKS + "/" + endpoint.id() + "/attempts?limit=200", KEY_A).json();
        List<JsonNode> attempts = new ArrayList<>();
        log.path("attempts").forEach(attempts::add);
        // Every request the receiver saw is in the log (and attempts that timed out before
        // reaching it, on a busy machine).
        assertThat(attempts.size()).isGreaterThanOrEqualTo(receiver.received().size());
        assertThat(attempts).allMatch(a -> a.has("statusCode") || a.has("error"));
        assertThat(attempts)
                .anyMatch(
                        a ->
                                a.path("statusCode").asInt() == 503
                                        && a.path("error").asText().equals("HTTP 503"));
        assertThat(attempts.stream().filter(a -> a.path("statusCode").asInt() == 200).count())
                .isEqualTo(15);
        assertThat(attempts).allMatch(a -> a.has("latencyMillis") && a.has("attemptedAt"));
        Answer backlog = client.get(HOOKS + "/" + endpoint.id(), KEY_A);
        assertThat(backlog.json().path("backlog").path("pending").asLong()).isZero();

        // A 503 stops its account's run and gives the rest of the run back untried: every
        // delivery's attempt count is exactly its logged attempts.
        try (java.sql.Connection c = PartnerDatabases.connect(jdbcUrl);
                java.sql.PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT d.delivery_id, d.attempts, (SELECT count(*) FROM"
                                        + " webhook_attempts a WHERE a.delivery_id ="
                                        + " d.delivery_id) FROM webhook_deliveries d WHERE"
                                        + " d.endpoint_id = ?")) {
            ps.setString(1, endpoint.id());
            int deliveries = 0;
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deliveries++;
                    assertThat(rs.getInt(2))
                            .as("attempts of delivery %d", rs.getLong(1))
                            .isEqualTo(rs.getInt(3));
                }
            }
            assertThat(deliveries).isEqualTo(15);
        }
    }

    // ------------------------------------------------------------------ a notifier killed

    @Test
    void aNotifierKilledMidStreamLosesNothingAndRedeliveriesKeepTheirIds(@TempDir Path logs)
            throws Exception {
        String prefix = "it-hooks-kill-";
        LedgerResults ledger = results(prefix);
        WebhookReceiver receiver = closeLater(new WebhookReceiver());
        // Slow answers: deliveries are in flight when the notifier dies.
        receiver.answer(200, Duration.ofMillis(150));
        Created endpoint = endpoint(KEY_A, receiver.url("/kill"));
        Map<String, String> env = notifierEnv(prefix);
        env.put("LEDGERFLOW_WEBHOOK_ATTEMPT_TIMEOUT", "5s");

        Set<String> expected = new java.util.HashSet<>();
        Process first = Notifiers.process(env, logs.resolve("first.log"));
        try {
            for (int batch = 0; batch < 10; batch++) {
                List<SpecificRecord> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String id = "kill-" + batch + "-" + i;
                    results.add(transfer(PARTNER_A, id, "kill-acc-" + i));
                    expected.add(PartnerEvents.eventId("transaction", PARTNER_A, id, "COMPLETED"));
                }
                ledger.commit(results);
            }
            await(
                    "some deliveries",
                    Duration.ofSeconds(90),
                    () -> receiver.delivered().size() >= 20);
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        int beforeKill = receiver.delivered().size();
        assertThat(beforeKill).isLessThan(expected.size());
        // More results while no notifier runs.
        for (int i = 0; i < 20; i++) {
            String id = "kill-late-" + i;
            ledger.commit(List.of(transfer(PARTNER_A, id, "kill-acc-" + i)));
            expected.add(PartnerEvents.eventId("transaction", PARTNER_A, id, "COMPLETED"));
        }
        Process second = Notifiers.process(env, logs.resolve("second.log"));
        try {
            await(
                    "every event after the restart",
                    Duration.ofSeconds(120),
                    () -> receiver.delivered().keySet().containsAll(expected));
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(receiver.delivered().keySet()).isEqualTo(expected);
        // A redelivery is the same event: same id, same body, and it verifies.
        Map<String, Set<String>> bodies = new HashMap<>();
        for (Received r : receiver.received()) {
            bodies.computeIfAbsent(r.id(), id -> new java.util.HashSet<>()).add(r.body());
        }
        assertThat(bodies.values()).allMatch(b -> b.size() == 1);
        assertThat(verified(endpoint, receiver.received())).allMatch(v -> v.startsWith("ok "));
    }

    // ------------------------------------------------------------------ isolation

    @Test
    void aDeadEndpointOfOnePartnerDoesNotDelayAnotherAndIsParkedAfterTheRetryPeriod()
            throws Exception {
        String prefix = "it-hooks-dead-";
        LedgerResults ledger = results(prefix);
        WebhookReceiver dead = closeLater(new WebhookReceiver());
        // Hangs past the attempt timeout (3 s) on every request.
        dead.answer(200, Duration.ofSeconds(10));
        WebhookReceiver healthy = closeLater(new WebhookReceiver());
        Created a = endpoint(KEY_A, dead.url("/dead"));
        Created b = endpoint(KEY_B, healthy.url("/alive"));
        Map<String, String> env = notifierEnv(prefix);
        env.put("LEDGERFLOW_WEBHOOK_RETRY_PERIOD", "4s");
        Notifier notifier = closeLater(Notifiers.start(env));

        // A's backlog first, then B's events behind it in the topics.
        for (int batch = 0; batch < 4; batch++) {
            List<SpecificRecord> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                results.add(transfer(PARTNER_A, "dead-" + batch + "-" + i, "dead-acc-" + i));
            }
            ledger.commit(results);
        }
        Thread.sleep(1000);
        Instant sent = Instant.now();
        List<SpecificRecord> forB = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            forB.add(transfer(PARTNER_B, "alive-" + i, "alive-acc-" + i));
        }
        ledger.commit(forB);
        await("B's 20 events", Duration.ofSeconds(10), () -> healthy.delivered().size() >= 20);
        Duration took = Duration.between(sent, Instant.now());
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(healthy.received()).hasSize(20);

        // A's backlog is visible: through the API and as a metric.
        JsonNode state = client.get(HOOKS + "/" + a.id(), KEY_A).json();
        assertThat(state.path("backlog").path("pending").asLong()).isGreaterThan(10);
        await(
                "the backlog metric",
                Duration.ofSeconds(15),
                () ->
                        notifier.metrics()
                                .scrape()
                                .contains("webhook_backlog_deliveries{partner=\"partner-a\"}"));
        // After the retry period, every delivery is parked as failed with its last error.
        await(
                "A's deliveries parked",
                Duration.ofSeconds(60),
                () ->
                        client.get(HOOKS + "/" + a.id(), KEY_A)
                                        .json()
                                        .path("backlog")
                                        .path("failed")
                                        .asLong()
                                == 20);
        JsonNode log = client.get(HOOKS + "/" + a.id() + "/attempts?limit=5", KEY_A).json();
        assertThat(log.path("attempts").get(0).path("error").asText()).contains("timed out");
        assertThat(log.path("attempts").get(0).path("deliveryStatus").asText())
                .isIn("FAILED", "PENDING");
        assertThat(notifier.metrics().scrape())
                .contains("webhook_deliveries_failed_total{partner=\"partner-a\"}");
    }

    @Test
    void aPartnersBacklogIsBoundedNewDeliveriesBeyondItAreParkedAndReplayable() throws Exception {
        String prefix = "it-hooks-backlog-";
        LedgerResults ledger = results(prefix);
        WebhookReceiver down = closeLater(new WebhookReceiver());
        down.answer(503, Duration.ZERO);
        Created a = endpoint(KEY_A, down.url("/down"));
        Map<String, String> env = notifierEnv(prefix);
        env.put("LEDGERFLOW_WEBHOOK_MAX_BACKLOG", "5");
        env.put("LEDGERFLOW_WEBHOOK_BACKOFF_BASE", "2s");
        env.put("LEDGERFLOW_WEBHOOK_BACKOFF_MAX", "2s");
        closeLater(Notifiers.start(env));
        List<SpecificRecord> first = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            first.add(transfer(PARTNER_A, "backlog-" + i, "backlog-acc-" + i));
        }
        ledger.commit(first);
        await(
                "8 pending",
                Duration.ofSeconds(30),
                () ->
                        client.get(HOOKS + "/" + a.id(), KEY_A)
                                        .json()
                                        .path("backlog")
                                        .path("pending")
                                        .asLong()
                                == 8);
        // The notifier sees the backlog at its next refresh (every 5 s); later events are parked.
        Thread.sleep(6000);
        ledger.commit(List.of(transfer(PARTNER_A, "backlog-late", "backlog-acc-late")));
        String late = PartnerEvents.eventId("transaction", PARTNER_A, "backlog-late", "COMPLETED");
        await(
                "the late one parked",
                Duration.ofSeconds(30),
                () ->
                        client.get(HOOKS + "/" + a.id(), KEY_A)
                                        .json()
                                        .path("backlog")
                                        .path("failed")
                                        .asLong()
                                == 1);
        JsonNode state = client.get(HOOKS + "/" + a.id(), KEY_A).json().path("backlog");
        assertThat(state.path("pending").asLong()).isEqualTo(8);
        assertThat(down.received()).noneMatch(r -> r.id().equals(late));
        // Once the endpoint is healthy, the parked event can be replayed.
        down.answer(204, Duration.ZERO);
        await("the backlog delivered", Duration.ofSeconds(60), () -> down.delivered().size() == 8);
        Answer replayed =
                client.post(
                        HOOKS + "/" + a.id() + "/replay", KEY_A, "{\"eventId\": \"" + late + "\"}");
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(202);
        await(
                "the parked one, replayed",
                Duration.ofSeconds(30),
                () -> down.delivered().containsKey(late));
    }

    // ------------------------------------------------------------------ replay

    @Test
    void replayRedeliversOneEventOrEverythingSinceATimeWithTheSameIds() throws Exception {
        String prefix = "it-hooks-replay-";
        LedgerResults ledger = results(prefix);
        WebhookReceiver receiver = closeLater(new WebhookReceiver());
        Created endpoint = endpoint(KEY_A, receiver.url("/replay"));
        closeLater(Notifiers.start(notifierEnv(prefix)));
        ledger.commit(List.of(transfer(PARTNER_A, "replay-1", "replay-acc")));
        await("first", Duration.ofSeconds(30), () -> receiver.delivered().size() == 1);
        Instant since = Instant.now();
        Thread.sleep(50);
        ledger.commit(
                List.of(
                        transfer(PARTNER_A, "replay-2", "replay-acc"),
                        transfer(PARTNER_A, "replay-3", "replay-acc")));
        await("three", Duration.ofSeconds(30), () -> receiver.delivered().size() == 3);
        String first = PartnerEvents.eventId("transaction", PARTNER_A, "replay-1", "COMPLETED");

        Answer one =
                client.post(
                        HOOKS + "/" + endpoint.id() + "/replay",
                        KEY_A,
                        "{\"eventId\": \"" + first + "\"}");
        assertThat(one.status()).as(one.body()).isEqualTo(202);
        assertThat(one.json().path("deliveries").asInt()).isEqualTo(1);
        await("the replayed one", Duration.ofSeconds(30), () -> receiver.received().size() == 4);
        assertThat(receiver.received().get(3).id()).isEqualTo(first);

        Answer all =
                client.post(
                        HOOKS + "/" + endpoint.id() + "/replay",
                        KEY_A,
                        "{\"since\": \"" + since + "\"}");
        assertThat(all.json().path("deliveries").asInt()).isEqualTo(2);
        await("the two since", Duration.ofSeconds(30), () -> receiver.received().size() == 6);
        assertThat(receiver.received().subList(4, 6))
                .extracting(Received::id)
                .containsExactlyInAnyOrder(
                        PartnerEvents.eventId("transaction", PARTNER_A, "replay-2", "COMPLETED"),
                        PartnerEvents.eventId("transaction", PARTNER_A, "replay-3", "COMPLETED"));
        assertThat(verified(endpoint, receiver.received())).allMatch(v -> v.startsWith("ok "));
        JsonNode log =
                client.get(HOOKS + "/" + endpoint.id() + "/attempts?eventId=" + first, KEY_A)
                        .json();
        assertThat(log.path("attempts"))
                .extracting(a -> a.path("cause").asText())
                .containsExactly("REPLAY", "EVENT");

        // Another partner cannot replay into this endpoint, nor an unknown event.
        assertThat(
                        client.post(
                                        HOOKS + "/" + endpoint.id() + "/replay",
                                        KEY_B,
                                        "{\"eventId\": \"" + first + "\"}")
                                .code())
                .isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
        assertThat(
                        client.post(
                                        HOOKS + "/" + endpoint.id() + "/replay",
                                        KEY_A,
                                        "{\"eventId\": \"evt_00000000000000000000000000000000\"}")
                                .code())
                .isEqualTo("EVENT_NOT_FOUND");
        assertThat(client.post(HOOKS + "/" + endpoint.id() + "/replay", KEY_A, "{}").code())
                .isEqualTo("INVALID_BODY");
    }

    // ------------------------------------------------------------------ endpoints through the API

    @Test
    void endpointsAreManagedByTheirPartnerOnlyAndTheSecretIsShownOnce() throws Exception {
        String prefix = "it-hooks-crud-";
        results(prefix);
        WebhookReceiver receiver = closeLater(new WebhookReceiver());
        closeLater(Notifiers.start(notifierEnv(prefix)));
        Created e = endpoint(KEY_A, receiver.url("/crud"), "transaction.completed", "hold.held");
        assertThat(e.secret()).startsWith("whsec_");

        JsonNode listed = client.get(HOOKS, KEY_A).json().path("endpoints");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("endpointId").asText()).isEqualTo(e.id());
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(client.get(HOOKS + "/" + e.id(), KEY_A).body()).doesNotContain(e.secret());
        assertThat(client.get(HOOKS, KEY_B).json().path("endpoints")).isEmpty();
        assertThat(client.get(HOOKS + "/" + e.id(), KEY_B).code())
                .isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
        assertThat(client.delete(HOOKS + "/" + e.id(), KEY_B).status()).isEqualTo(404);

        // The test event reaches this endpoint, signed.
        Answer test = client.post(HOOKS + "/" + e.id() + "/test", KEY_A, "");
        assertThat(test.status()).as(test.body()).isEqualTo(202);
        String testId = test.json().path("eventId").asText();
        await("test event", Duration.ofSeconds(30), () -> receiver.delivered().containsKey(testId));
        assertThat(
                        ApiClient.JSON
                                .readTree(receiver.delivered().get(testId).body())
                                .path("type")
                                .asText())
                .isEqualTo("webhook.test");
        assertThat(verified(e, receiver.received())).allMatch(v -> v.startsWith("ok "));

        // The admin twins: support reads any partner's endpoints and log; partners cannot.
        JsonNode adminList =
                client.get("/api/v1/admin/partners/" + PARTNER_A + "/webhooks/endpoints", KEY_ADMIN)
                        .json();
        assertThat(adminList.path("endpoints").get(0).path("endpointId").asText())
                .isEqualTo(e.id());
        JsonNode adminLog =
                client.get(
                                "/api/v1/admin/partners/"
                                        + PARTNER_A
                                        + "/webhooks/endpoints/"
                                        + e.id()
                                        + "/attempts",
                                KEY_ADMIN)
                        .json();
        assertThat(adminLog.path("attempts").get(0).path("eventId").asText()).isEqualTo(testId);
        assertThat(
                        client.get(
                                        "/api/v1/admin/partners/"
                                                + PARTNER_B
                                                + "/webhooks/endpoints/"
                                                + e.id()
                                                + "/attempts",
                                        KEY_ADMIN)
                                .code())
                .isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
        assertThat(
                        client.get(
                                        "/api/v1/admin/partners/"
                                                + PARTNER_A
                                                + "/webhooks/endpoints",
                                        KEY_A)
                                .code())
                .isEqualTo("ADMIN_REQUIRED");

        // Change, disable (deliveries wait), enable (they go), delete.
        Answer patched =
                client.json(
                        "PATCH",
                        HOOKS + "/" + e.id(),
                        KEY_A,
                        "{\"eventTypes\": [], \"description\": \"all\", \"status\": \"DISABLED\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("status").asText()).isEqualTo("DISABLED");
        String second =
                client.post(HOOKS + "/" + e.id() + "/test", KEY_A, "")
                        .json()
                        .path("eventId")
                        .asText();
        Thread.sleep(1500);
        assertThat(receiver.delivered()).doesNotContainKey(second);
        assertThat(
                        client.get(HOOKS + "/" + e.id(), KEY_A)
                                .json()
                                .path("backlog")
                                .path("pending")
                                .asInt())
                .isEqualTo(1);
        client.json("PATCH", HOOKS + "/" + e.id(), KEY_A, "{\"status\": \"ENABLED\"}");
        await(
                "after enabling",
                Duration.ofSeconds(30),
                () -> receiver.delivered().containsKey(second));
        assertThat(client.delete(HOOKS + "/" + e.id(), KEY_A).status()).isEqualTo(204);
        assertThat(client.get(HOOKS + "/" + e.id(), KEY_A).status()).isEqualTo(404);

        // Bad input: problem+json with machine-readable codes.
        assertThat(
                        client.post(
                                        HOOKS,
                                        KEY_A,
                                        "{\"url\": \""
                                                + receiver.url("/x")
                                                + "\", \"eventTypes\": [\"nope\"]}")
                                .code())
                .isEqualTo("INVALID_EVENT_TYPE");
        assertThat(client.post(HOOKS, KEY_A, "{}").code()).isEqualTo("MISSING_FIELD");
        assertThat(client.post(HOOKS, KEY_A, "{\"url\": \"ftp://x\"}").code())
                .isEqualTo("WEBHOOK_URL_REFUSED");
        assertThat(
                        client.post(HOOKS, KEY_A, "{\"url\": \"http://x\", \"secret\": \"mine\"}")
                                .code())
                .isEqualTo("UNKNOWN_FIELD");
        assertThat(client.get(HOOKS + "/ep_nope", KEY_A).code())
                .isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
    }

    // ------------------------------------------------------------------ URL checks

    @Test
    void productionRefusesPlainHttpAndNonPublicAddressesAndRedirectsAreNotFollowed()
            throws Exception {
        Map<String, String> env = new HashMap<>(PartnerDatabases.env(jdbcUrl));
        env.put("LEDGERFLOW_WEBHOOK_URL_POLICY", "production");
        env.put("LEDGERFLOW_PARTNERS_MIGRATE", "false");
        try (RunningApi production = new RunningApi(kafka, registry, env)) {
            for (String url :
                    List.of(
                            "http://example.com/hooks",
                            "https://127.0.0.1/hooks",
                            "https://localhost/hooks",
                            "https://10.1.2.3/hooks",
                            "https://172.16.0.1/hooks",
                            "https://192.168.1.1/hooks",
                            "https://169.254.169.254/latest/meta-data",
                            "https://100.64.0.1/hooks",
                            "https://[::1]/hooks",
                            "https://[fd00::1]/hooks",
                            "https://[::ffff:10.0.0.1]/hooks",
                            "https://0.0.0.0/hooks",
                            "https://user:pw@example.com/hooks")) {
                Answer refused = production.client.post(HOOKS, KEY_A, "{\"url\": \"" + url + "\"}");
                assertThat(refused.status()).as(url + " " + refused.body()).isEqualTo(400);
                assertThat(refused.code()).as(url).isEqualTo("WEBHOOK_URL_REFUSED");
            }
            assertThat(production.client.get(HOOKS, KEY_A).json().path("endpoints")).isEmpty();
        }

        // Redirects: a 302 is a failed attempt; its target never hears of the event.
        String prefix = "it-hooks-redirect-";
        LedgerResults ledger = results(prefix);
        WebhookReceiver target = closeLater(new WebhookReceiver());
        WebhookReceiver redirecting = closeLater(new WebhookReceiver());
        redirecting.redirectTo(target.url("/elsewhere"));
        Created e = endpoint(KEY_A, redirecting.url("/moved"));
        closeLater(Notifiers.start(notifierEnv(prefix)));
        ledger.commit(List.of(transfer(PARTNER_A, "redirect-1", "redirect-acc")));
        await("attempts", Duration.ofSeconds(30), () -> redirecting.received().size() >= 2);
        assertThat(target.received()).isEmpty();
        JsonNode log = client.get(HOOKS + "/" + e.id() + "/attempts", KEY_A).json();
        assertThat(log.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(302);
        assertThat(log.path("attempts").get(0).path("error").asText())
                .contains("redirects are not followed");
    }
}
