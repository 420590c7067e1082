package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.ingest.auth.PartnerDatabase;
import io.ledgerflow.ingest.auth.PostgresPartnerDirectory;
import io.ledgerflow.ingest.auth.StoredLimits;
import io.ledgerflow.ingest.testutils.ApiClient;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.PartnerDatabases;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partners as data against the real servers: two API instances on one PostgreSQL partner database,
 * managed through the admin routes. Onboarding end to end, rotation with overlap, revocation seen
 * by both instances within 5 s, suspension and resumption, the audit trail, the bootstrap admin key
 * and pagination.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class PartnersITCase {

    /** The first admin key of a fresh installation, from LEDGERFLOW_BOOTSTRAP_ADMIN_KEY. */
    private static final String BOOTSTRAP_KEY = "bootstrap-admin-key-for-the-partners-itcase";

    private static final Duration PROPAGATION = Duration.ofSeconds(5);

    private static String url;
    private static RunningApi first;
    private static RunningApi second;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres) {
        url = PartnerDatabases.create(postgres, "api_partners_it");
        Map<String, String> env = PartnerDatabases.env(url);
        env.put("LEDGERFLOW_BOOTSTRAP_ADMIN_KEY", BOOTSTRAP_KEY);
        first = new RunningApi(kafka, registry, env);
        second = new RunningApi(kafka, registry, env);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aNewPartnerIsOnboardedEndToEnd() {
        String partnerId = id("acme");
        Answer created =
                first.client.post(
                        "/api/v1/admin/partners",
                        KEY_ADMIN,
                        "{\"partnerId\":\""
                                + partnerId
                                + "\",\"displayName\":\"Acme Payments\","
                                + "\"limits\":{\"requestsPerSecond\":500,\"requestBurst\":1000},"
                                + "\"contactEmail\":\"ops@acme.example\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/admin/partners/" + partnerId);
        assertThat(created.json().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(created.json().get("version").asLong()).isEqualTo(1);
        assertThat(created.json().get("limits").get("requestsPerSecond").asInt()).isEqualTo(500);
        assertThat(created.json().get("limits").get("movementsPerSecond").isNull()).isTrue();

        Answer issued = issue(partnerId, "write");
        String key = issued.json().get("key").asText();
        String keyId = issued.json().get("keyId").asText();
        assertThat(key).startsWith("lf_" + keyId + "_").hasSizeGreaterThan(40);
        assertThat(issued.json().get("prefix").asText()).isEqualTo("lf_" + keyId);

        // Issued on one instance, usable on both within 5 s, no restart.
        awaitStatus(first.client, key, 404);
        awaitStatus(second.client, key, 404);

        String account = id("acme-acct");
        Answer opened =
                second.client.post(
                        "/api/v1/accounts",
                        key,
                        "{\"accountId\":\"" + account + "\",\"currency\":\"USD\"}");
        assertThat(opened.status()).as(opened.body()).isEqualTo(202);
        String txId = id("acme-dep");
        Answer deposit =
                second.client.post(
                        "/api/v1/transactions",
                        key,
                        "{\"transactionId\":\""
                                + txId
                                + "\",\"type\":\"DEPOSIT\",\"destinationAccountId\":\""
                                + account
                                + "\",\"amount\":\"100.00\",\"currency\":\"USD\"}");
        assertThat(deposit.status()).as(deposit.body()).isEqualTo(202);
        Answer status = second.client.get("/api/v1/transactions/" + txId, key);
        assertThat(status.status()).isEqualTo(200);
        // No ledger job here: the API's own answer until the ledger decides.
        assertThat(status.json().get("status").asText()).isEqualTo("ACCEPTED");

        // Listing keys shows metadata, never the key or its hash.
        Answer keys = first.client.get("/api/v1/admin/partners/" + partnerId + "/keys", KEY_ADMIN);
        assertThat(keys.status()).isEqualTo(200);
        JsonNode listed = keys.json().get("items").get(0);
        assertThat(listed.get("keyId").asText()).isEqualTo(keyId);
        assertThat(listed.get("scope").asText()).isEqualTo("write");
        assertThat(listed.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(listed.has("key")).isFalse();
        assertThat(keys.body()).doesNotContain(key).doesNotContain(key.substring(16));

        // The limiter's lookup: the overrides as stored, defaults where none.
        try (PostgresPartnerDirectory directory =
                new PostgresPartnerDirectory(
                        new PartnerDatabase(url, PostgresServer.USER, PostgresServer.PASSWORD),
                        Clock.systemUTC(),
                        Duration.ofSeconds(1))) {
            Optional<StoredLimits> limits = directory.limitsOf(partnerId);
            assertThat(limits).isPresent();
            assertThat(limits.get().requestsPerSecond()).isEqualTo(OptionalInt.of(500));
            assertThat(limits.get().requestBurst()).isEqualTo(OptionalInt.of(1000));
            assertThat(limits.get().movementsPerSecond()).isEmpty();
            assertThat(directory.limitsOf("nobody")).isEmpty();
        }
    }

    @Test
    void aRotatedKeyWorksBesideItsSuccessorUntilTheOverlapEnds() {
        String partnerId = createPartner("rotating");
        String oldKey = issue(partnerId, "write").json().get("key").asText();
        awaitStatus(first.client, oldKey, 404);
        String oldKeyId = keyIdOf(oldKey);

        Answer rotated =
                first.client.post(
                        "/api/v1/admin/partners/" + partnerId + "/keys/" + oldKeyId + "/rotate",
                        KEY_ADMIN,
                        "{\"overlapSeconds\":6}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        String newKey = rotated.json().get("key").asText();
        assertThat(rotated.json().get("rotatedFrom").asText()).isEqualTo(oldKeyId);
        Instant overlapEnd = Instant.now().plusSeconds(6);

        // During the overlap both keys work, on both instances.
        awaitStatus(first.client, newKey, 404);
        awaitStatus(second.client, newKey, 404);
        assertThat(probe(first.client, oldKey)).isEqualTo(404);
        assertThat(probe(second.client, oldKey)).isEqualTo(404);
        Answer keys = first.client.get("/api/v1/admin/partners/" + partnerId + "/keys", KEY_ADMIN);
        assertThat(keys.json().get("items").get(0).get("status").asText()).isEqualTo("ROTATING");

        // After it, only the new one.
        sleepUntil(overlapEnd.plusMillis(200));
        assertThat(probe(first.client, oldKey)).isEqualTo(401);
        assertThat(probe(second.client, oldKey)).isEqualTo(401);
        assertThat(probe(first.client, newKey)).isEqualTo(404);
        assertThat(probe(second.client, newKey)).isEqualTo(404);
    }

    @Test
    void aRevokedKeyIsRefusedByBothInstancesWithinFiveSeconds() {
        String partnerId = createPartner("revoked");
        String key = issue(partnerId, "write").json().get("key").asText();
        awaitStatus(first.client, key, 404);
        awaitStatus(second.client, key, 404);

        Answer revoked =
                second.client.post(
                        "/api/v1/admin/partners/" + partnerId + "/keys/" + keyIdOf(key) + "/revoke",
                        KEY_ADMIN,
                        "");
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("REVOKED");
        long start = System.nanoTime();
        Duration onFirst = awaitStatus(first.client, key, 401);
        Duration onSecond = awaitStatus(second.client, key, 401);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROPAGATION);
        assertThat(onFirst).isLessThan(PROPAGATION);
        assertThat(onSecond).isLessThan(PROPAGATION);
        Answer refused = first.client.get("/api/v1/accounts/any", key);
        assertThat(refused.code()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void aSuspendedPartnerIsRefusedEverywhereUntilResumed() {
        String partnerId = createPartner("sleepy");
        String key = issue(partnerId, "write").json().get("key").asText();
        awaitStatus(first.client, key, 404);
        String account = id("sleepy-acct");
        assertThat(
                        first.client
                                .post(
                                        "/api/v1/accounts",
                                        key,
                                        "{\"accountId\":\"" + account + "\",\"currency\":\"EUR\"}")
                                .status())
                .isEqualTo(202);
        JsonNode accountBefore = first.client.get("/api/v1/accounts/" + account, key).json();

        Answer suspended =
                first.client.post(
                        "/api/v1/admin/partners/" + partnerId + "/suspend", KEY_ADMIN, "");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(suspended.json().get("status").asText()).isEqualTo("SUSPENDED");
        awaitStatus(first.client, key, 403);
        awaitStatus(second.client, key, 403);
        for (RunningApi api : List.of(first, second)) {
            Answer read = api.client.get("/api/v1/accounts/" + account, key);
            assertThat(read.status()).isEqualTo(403);
            assertThat(read.code()).isEqualTo("PARTNER_SUSPENDED");
            assertThat(read.header("Content-Type")).contains("application/problem+json");
            Answer write =
                    api.client.post(
                            "/api/v1/transactions",
                            key,
                            "{\"transactionId\":\""
                                    + id("tx")
                                    + "\",\"type\":\"DEPOSIT\",\"destinationAccountId\":\""
                                    + account
                                    + "\",\"amount\":\"1.00\",\"currency\":\"EUR\"}");
            assertThat(write.code()).isEqualTo("PARTNER_SUSPENDED");
            assertThat(api.client.post("/api/v1/accounts/" + account + "/freeze", key, "").code())
                    .isEqualTo("PARTNER_SUSPENDED");
        }

        Answer resumed =
                second.client.post(
                        "/api/v1/admin/partners/" + partnerId + "/resume", KEY_ADMIN, "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().get("status").asText()).isEqualTo("ACTIVE");
        awaitStatus(first.client, key, 404);
        awaitStatus(second.client, key, 404);
        // Accounts untouched: the same account as before the suspension.
        Answer after = first.client.get("/api/v1/accounts/" + account, key);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json()).isEqualTo(accountBefore);
    }

    @Test
    void aPartnersStoredRequestLimitIsEnforcedAndAChangeAppliesWithoutRestart() {
        String partnerId = id("slow");
        Answer created =
                first.client.post(
                        "/api/v1/admin/partners",
                        KEY_ADMIN,
                        "{\"partnerId\":\""
                                + partnerId
                                + "\",\"displayName\":\"Slow Ltd\","
                                + "\"limits\":{\"requestsPerSecond\":1,\"requestBurst\":2}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = issue(partnerId, "read").json().get("key").asText();
        awaitStatus(first.client, key, 404);

        // Its own limit (1/s, burst 2), not the configured default (100/s): of six requests sent
        // at once at most three get through (the burst and one refill), the rest are 429s that
        // name the stored limit.
        List<Answer> answers = burst(first.client, key, 6);
        List<Answer> limited = answers.stream().filter(answer -> answer.status() == 429).toList();
        assertThat(limited).as("429s of %s", statuses(answers)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(limited.get(0).header("RateLimit-Policy")).hasValue("\"requests\";q=1;w=1");
        assertThat(limited.get(0).json().get("code").asText()).isEqualTo("RATE_LIMITED");

        // Raised through the admin API: every instance applies it from its next poll on.
        Answer raised =
                second.client.json(
                        "PATCH",
                        "/api/v1/admin/partners/" + partnerId,
                        KEY_ADMIN,
                        "{\"version\":1,\"limits\":{\"requestsPerSecond\":1000,"
                                + "\"requestBurst\":1000}}");
        assertThat(raised.status()).as(raised.body()).isEqualTo(200);
        long start = System.nanoTime();
        while (true) {
            List<Answer> again = burst(first.client, key, 6);
            if (again.stream().allMatch(answer -> answer.status() == 404)) {
                assertThat(again.get(0).header("RateLimit-Policy"))
                        .hasValue("\"requests\";q=1000;w=1");
                break;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the raised limit applies within 5 s; got %s", statuses(again))
                    .isLessThan(PROPAGATION.plusSeconds(1));
            sleep(200);
        }
    }

    /** {@code n} requests of the partner sent back to back (an unknown transaction: 404). */
    private static List<Answer> burst(ApiClient client, String key, int n) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(client.get("/api/v1/transactions/none-" + i, key));
        }
        return answers;
    }

    private static List<Integer> statuses(List<Answer> answers) {
        return answers.stream().map(Answer::status).toList();
    }

    @Test
    void everyAdminActionIsAuditedWithBeforeAndAfter() {
        String partnerId = createPartner("audited");
        Answer updated =
                first.client.json(
                        "PATCH",
                        "/api/v1/admin/partners/" + partnerId,
                        KEY_ADMIN,
                        "{\"version\":1,\"displayName\":\"Audited Ltd\","
                                + "\"limits\":{\"movementsPerSecond\":250}}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("version").asLong()).isEqualTo(2);
        // The same optimistic check through the partner's ETag.
        Answer current = first.client.get("/api/v1/admin/partners/" + partnerId, KEY_ADMIN);
        assertThat(current.header("ETag")).contains("\"2\"");
        Answer byETag =
                first.client.send(
                        first.client
                                .request("/api/v1/admin/partners/" + partnerId, KEY_ADMIN)
                                .header("Content-Type", "application/json")
                                .header("If-Match", current.header("ETag").orElseThrow())
                                .method(
                                        "PATCH",
                                        java.net.http.HttpRequest.BodyPublishers.ofString(
                                                "{\"contactName\":\"Ada\"}")));
        assertThat(byETag.status()).as(byETag.body()).isEqualTo(200);
        assertThat(byETag.json().get("version").asLong()).isEqualTo(3);
        String key = issue(partnerId, "read").json().get("key").asText();
        String keyId = keyIdOf(key);
        assertThat(
                        first.client
                                .post(
                                        "/api/v1/admin/partners/"
                                                + partnerId
                                                + "/keys/"
                                                + keyId
                                                + "/revoke",
                                        KEY_ADMIN,
                                        "")
                                .status())
                .isEqualTo(200);

        Answer audit = first.client.get("/api/v1/admin/audit?partnerId=" + partnerId, KEY_ADMIN);
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        audit.json().get("items").forEach(e -> actions.add(e.get("action").asText()));
        // Newest first.
        assertThat(actions)
                .containsExactly(
                        "API_KEY_REVOKED",
                        "API_KEY_ISSUED",
                        "PARTNER_UPDATED",
                        "PARTNER_UPDATED",
                        "PARTNER_CREATED");

        JsonNode update = audit.json().get("items").get(3);
        String adminKeyId =
                "file-" + io.ledgerflow.ingest.auth.ApiKeys.sha256Hex(KEY_ADMIN).substring(0, 16);
        assertThat(update.get("actor").get("keyId").asText()).isEqualTo(adminKeyId);
        assertThat(update.get("actor").get("partnerId").asText()).isEqualTo("ops");
        assertThat(update.get("partnerId").asText()).isEqualTo(partnerId);
        assertThat(update.get("before").get("displayName").asText()).isEqualTo(partnerId);
        assertThat(update.get("after").get("displayName").asText()).isEqualTo("Audited Ltd");
        assertThat(update.get("before").get("limits").get("movementsPerSecond").isNull()).isTrue();
        assertThat(update.get("after").get("limits").get("movementsPerSecond").asInt())
                .isEqualTo(250);
        assertThat(update.get("before").get("version").asLong()).isEqualTo(1);
        assertThat(update.get("after").get("version").asLong()).isEqualTo(2);
        assertThat(update.get("requestId").asText()).isNotEmpty();

        JsonNode revocation = audit.json().get("items").get(0);
        assertThat(revocation.get("keyId").asText()).isEqualTo(keyId);
        assertThat(revocation.get("before").get("status").asText()).isEqualTo("ACTIVE");
        assertThat(revocation.get("after").get("status").asText()).isEqualTo("REVOKED");
        // The key never reaches the audit trail.
        assertThat(audit.body()).doesNotContain(key);

        // Paginated: one at a time, following the cursor, the same four in the same order.
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Answer page =
                    first.client.get(
                            "/api/v1/admin/audit?partnerId="
                                    + partnerId
                                    + "&limit=1"
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            KEY_ADMIN);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("items").forEach(e -> paged.add(e.get("action").asText()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);
        assertThat(paged).isEqualTo(actions);
    }

    @Test
    void theAuditTrailIsAppendOnly() throws SQLException {
        createPartner("append-only");
        try (Connection c = PartnerDatabases.connect(url);
                Statement s = c.createStatement()) {
            for (String sql :
                    List.of(
                            "UPDATE admin_audit SET action = 'X'",
                            "DELETE FROM admin_audit",
                            "TRUNCATE admin_audit")) {
                try {
                    s.execute(sql);
                    throw new AssertionError(sql + " was allowed");
                } catch (SQLException e) {
                    assertThat(e.getMessage()).contains("append-only");
                }
            }
        }
    }

    @Test
    void theBootstrapAdminKeyManagesAFreshInstallation() {
        Answer list = first.client.get("/api/v1/admin/partners?limit=200", BOOTSTRAP_KEY);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().get("items").forEach(p -> ids.add(p.get("partnerId").asText()));
        // The platform partner holds the bootstrap key; the keys file's partners were imported.
        assertThat(ids).contains("platform", "ops", "partner-a", "partner-b");
        Answer keys = first.client.get("/api/v1/admin/partners/platform/keys", BOOTSTRAP_KEY);
        assertThat(keys.json().get("items").get(0).get("scope").asText()).isEqualTo("admin");
        // The directory's health on /metrics.
        String metrics = first.client.get("/metrics", null).body();
        assertThat(metrics)
                .contains("ingest_partner_directory_keys")
                .containsPattern("ingest_partner_directory_refresh_age_seconds [0-4]\\.0");
    }

    @Test
    void partnersArePagedInIdOrder() {
        String prefix = id("page");
        for (int i = 0; i < 5; i++) {
            assertThat(
                            first.client
                                    .post(
                                            "/api/v1/admin/partners",
                                            KEY_ADMIN,
                                            "{\"partnerId\":\""
                                                    + prefix
                                                    + "-"
                                                    + i
                                                    + "\",\"displayName\":\"Page "
                                                    + i
                                                    + "\"}")
                                    .status())
                    .isEqualTo(201);
        }
        List<String> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page =
                    second.client.get(
                            "/api/v1/admin/partners?limit=2"
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            KEY_ADMIN);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
            page.json().get("items").forEach(p -> all.add(p.get("partnerId").asText()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null && pages < 1000);
        assertThat(all).isSorted().doesNotHaveDuplicates();
        assertThat(all).contains(prefix + "-0", prefix + "-4");
    }

    // ---------------------------------------------------------------- helpers

    private static String createPartner(String name) {
        String partnerId = id(name);
        Answer created =
                first.client.post(
                        "/api/v1/admin/partners",
                        KEY_ADMIN,
                        "{\"partnerId\":\""
                                + partnerId
                                + "\",\"displayName\":\""
                                + partnerId
                                + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return partnerId;
    }

    private static Answer issue(String partnerId, String scope) {
        Answer issued =
                first.client.post(
                        "/api/v1/admin/partners/" + partnerId + "/keys",
                        KEY_ADMIN,
                        "{\"scope\":\"" + scope + "\"}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued;
    }

    /** {@code lf_<keyId>_<secret>}. */
    private static String keyIdOf(String key) {
        return key.substring(3, key.indexOf('_', 3));
    }

    /** A GET of an account that does not exist: 404 once the key works, 401 or 403 if not. */
    private static int probe(ApiClient client, String key) {
        return client.get("/api/v1/accounts/no-such-account", key).status();
    }

    /** Polls until the key gets {@code status}; fails after 5 s. Returns how long it took. */
    private static Duration awaitStatus(ApiClient client, String key, int status) {
        long start = System.nanoTime();
        while (true) {
            int got = probe(client, key);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (got == status) {
                return waited;
            }
            assertThat(waited).as("waiting for " + status + ", got " + got).isLessThan(PROPAGATION);
            sleep(100);
        }
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            sleep(millis);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
