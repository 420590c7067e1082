package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.PartnerDatabases;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on the admin routes, table-driven: each case asserts the status, the problem's
 * machine-readable code, the problem+json content type, and that nothing changed: the partners, the
 * keys, the audit trail and the directory version read the same before and after.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class PartnersBadInputITCase {

    private static final String JSON = "application/json";
    private static final String PARTNERS = "/api/v1/admin/partners";

    private static String url;
    private static RunningApi api;

    /** Partner {@code victim}: a write key, a read key, a revoked and an expired key. */
    private static String writeKey;

    private static String readKey;
    private static String revokedKey;
    private static String revokedKeyId;
    private static String expiredKey;
    private static String victimKeyId;

    /** Partner {@code sleeper}: suspended, with a write key. */
    private static String suspendedKey;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres) {
        url = PartnerDatabases.create(postgres, "api_partners_bad_input_it");
        api = new RunningApi(kafka, registry, PartnerDatabases.env(url));
        create("victim");
        create("other");
        create("sleeper");
        writeKey = issue("victim", "{\"scope\":\"write\"}");
        victimKeyId = keyIdOf(writeKey);
        readKey = issue("victim", "{\"scope\":\"read\"}");
        revokedKey = issue("victim", "{\"scope\":\"admin\"}");
        revokedKeyId = keyIdOf(revokedKey);
        assertThat(
                        api.client
                                .post(
                                        PARTNERS + "/victim/keys/" + revokedKeyId + "/revoke",
                                        KEY_ADMIN,
                                        "")
                                .status())
                .isEqualTo(200);
        Instant expiry = Instant.now().plusSeconds(2);
        expiredKey = issue("victim", "{\"scope\":\"admin\",\"expiresAt\":\"" + expiry + "\"}");
        suspendedKey = issue("sleeper", "{\"scope\":\"write\"}");
        assertThat(api.client.post(PARTNERS + "/sleeper/suspend", KEY_ADMIN, "").status())
                .isEqualTo(200);
        // Every key as the table expects it, on this instance.
        await(writeKey, 404);
        await(readKey, 404);
        await(suspendedKey, 403);
        await(expiredKey, 401);
        await(revokedKey, 401);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** One row of the table. */
    record Case(
            String name,
            String method,
            String path,
            String apiKey,
            String contentType,
            String body,
            int status,
            String code,
            Map<String, String> headers) {

        Case(
                String name,
                String method,
                String path,
                String apiKey,
                String contentType,
                String body,
                int status,
                String code) {
            this(name, method, path, apiKey, contentType, body, status, code, Map.of());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case create(String name, String body, int status, String code) {
        return new Case(name, "POST", PARTNERS, KEY_ADMIN, JSON, body, status, code);
    }

    private static Case update(String name, String body, int status, String code) {
        return new Case(name, "PATCH", PARTNERS + "/victim", KEY_ADMIN, JSON, body, status, code);
    }

    private static Case get(String name, String path, String key, int status, String code) {
        return new Case(name, "GET", path, key, null, null, status, code);
    }

    private static Case post(
            String name, String path, String key, String body, int status, String code) {
        return new Case(name, "POST", path, key, body == null ? null : JSON, body, status, code);
    }

    static Stream<Case> cases() {
        String valid = "{\"partnerId\":\"newcomer\",\"displayName\":\"Newcomer\"}";
        String auditCursor =
                Base64.getUrlEncoder().withoutPadding().encodeToString("a1:5".getBytes());
        String adminKeyId = "file-" + ApiKeys.sha256Hex(KEY_ADMIN).substring(0, 16);
        String victimKeys = PARTNERS + "/victim/keys/";
        return Stream.of(
                // Who may call
                post("no key", PARTNERS, null, valid, 401, "UNAUTHENTICATED"),
                post("malformed key", PARTNERS, "lf_not_a_key", valid, 401, "UNAUTHENTICATED"),
                post("expired key", PARTNERS, expiredKey, valid, 401, "UNAUTHENTICATED"),
                post("revoked key", PARTNERS, revokedKey, valid, 401, "UNAUTHENTICATED"),
                post("write key on admin route", PARTNERS, writeKey, valid, 403, "ADMIN_REQUIRED"),
                get("read key on admin route", PARTNERS, readKey, 403, "ADMIN_REQUIRED"),
                post(
                        "partner suspending another partner",
                        PARTNERS + "/other/suspend",
                        writeKey,
                        null,
                        403,
                        "ADMIN_REQUIRED"),
                post(
                        "partner issuing a key for another partner",
                        PARTNERS + "/other/keys",
                        writeKey,
                        "{\"scope\":\"write\"}",
                        403,
                        "ADMIN_REQUIRED"),
                get(
                        "partner reading the audit trail",
                        "/api/v1/admin/audit",
                        writeKey,
                        403,
                        "ADMIN_REQUIRED"),
                post(
                        "suspended partner's key",
                        "/api/v1/accounts",
                        suspendedKey,
                        "{\"accountId\":\"s1\",\"currency\":\"USD\"}",
                        403,
                        "PARTNER_SUSPENDED"),
                post(
                        "read key moving money",
                        "/api/v1/accounts",
                        readKey,
                        "{\"accountId\":\"r1\",\"currency\":\"USD\"}",
                        403,
                        "SCOPE_INSUFFICIENT"),
                // Partner creation
                create("malformed JSON", "{\"partnerId\":", 400, "MALFORMED_JSON"),
                create("body not an object", "[1,2]", 400, "INVALID_BODY"),
                create(
                        "unknown field",
                        "{\"partnerId\":\"u1\",\"displayName\":\"U\",\"tier\":\"gold\"}",
                        400,
                        "UNKNOWN_FIELD"),
                create("missing partnerId", "{\"displayName\":\"M\"}", 400, "MISSING_FIELD"),
                create(
                        "partnerId with a space",
                        "{\"partnerId\":\"bad id\",\"displayName\":\"B\"}",
                        400,
                        "INVALID_ID"),
                create(
                        "partnerId too long",
                        "{\"partnerId\":\"" + "p".repeat(65) + "\",\"displayName\":\"L\"}",
                        400,
                        "INVALID_ID"),
                create(
                        "duplicate partner id",
                        "{\"partnerId\":\"victim\",\"displayName\":\"Again\"}",
                        409,
                        "PARTNER_ALREADY_EXISTS"),
                create(
                        "empty display name",
                        "{\"partnerId\":\"e1\",\"displayName\":\" \"}",
                        400,
                        "INVALID_BODY"),
                create(
                        "contact email not an address",
                        "{\"partnerId\":\"e2\",\"displayName\":\"E\",\"contactEmail\":\"nope\"}",
                        400,
                        "INVALID_BODY"),
                create(
                        "requests per second zero",
                        "{\"partnerId\":\"l1\",\"displayName\":\"L\","
                                + "\"limits\":{\"requestsPerSecond\":0}}",
                        400,
                        "LIMIT_OUT_OF_RANGE"),
                create(
                        "requests per second above 100000",
                        "{\"partnerId\":\"l2\",\"displayName\":\"L\","
                                + "\"limits\":{\"requestsPerSecond\":100001}}",
                        400,
                        "LIMIT_OUT_OF_RANGE"),
                create(
                        "negative burst",
                        "{\"partnerId\":\"l3\",\"displayName\":\"L\","
                                + "\"limits\":{\"movementBurst\":-1}}",
                        400,
                        "LIMIT_OUT_OF_RANGE"),
                create(
                        "limit as a string",
                        "{\"partnerId\":\"l4\",\"displayName\":\"L\","
                                + "\"limits\":{\"requestBurst\":\"10\"}}",
                        400,
                        "INVALID_FIELD_TYPE"),
                create(
                        "fractional limit",
                        "{\"partnerId\":\"l5\",\"displayName\":\"L\","
                                + "\"limits\":{\"movementsPerSecond\":1.5}}",
                        400,
                        "INVALID_FIELD_TYPE"),
                create(
                        "unknown limit",
                        "{\"partnerId\":\"l6\",\"displayName\":\"L\","
                                + "\"limits\":{\"bytesPerSecond\":10}}",
                        400,
                        "UNKNOWN_FIELD"),
                new Case(
                        "text/plain body",
                        "POST",
                        PARTNERS,
                        KEY_ADMIN,
                        "text/plain",
                        valid,
                        415,
                        "UNSUPPORTED_MEDIA_TYPE"),
                // Partner update
                update("update without version", "{\"displayName\":\"X\"}", 400, "MISSING_FIELD"),
                update(
                        "update on a stale version",
                        "{\"version\":99,\"displayName\":\"X\"}",
                        409,
                        "VERSION_CONFLICT"),
                update(
                        "status changed by update",
                        "{\"version\":1,\"status\":\"SUSPENDED\"}",
                        400,
                        "FIELD_NOT_ALLOWED"),
                update(
                        "partnerId changed by update",
                        "{\"version\":1,\"partnerId\":\"renamed\"}",
                        400,
                        "UNKNOWN_FIELD"),
                update(
                        "update with a limit out of range",
                        "{\"version\":1,\"limits\":{\"movementsPerSecond\":100001}}",
                        400,
                        "LIMIT_OUT_OF_RANGE"),
                new Case(
                        "If-Match not an ETag",
                        "PATCH",
                        PARTNERS + "/victim",
                        KEY_ADMIN,
                        JSON,
                        "{\"displayName\":\"X\"}",
                        400,
                        "INVALID_BODY",
                        Map.of("If-Match", "W/1")),
                new Case(
                        "If-Match on a stale version",
                        "PATCH",
                        PARTNERS + "/victim",
                        KEY_ADMIN,
                        JSON,
                        "{\"displayName\":\"X\"}",
                        409,
                        "VERSION_CONFLICT",
                        Map.of("If-Match", "\"7\"")),
                new Case(
                        "update of an unknown partner",
                        "PATCH",
                        PARTNERS + "/nobody",
                        KEY_ADMIN,
                        JSON,
                        "{\"version\":1}",
                        404,
                        "PARTNER_NOT_FOUND"),
                // Status
                post(
                        "resume an active partner",
                        PARTNERS + "/victim/resume",
                        KEY_ADMIN,
                        null,
                        409,
                        "PARTNER_STATUS_CONFLICT"),
                post(
                        "admin suspending its own partner",
                        PARTNERS + "/ops/suspend",
                        KEY_ADMIN,
                        null,
                        409,
                        "SELF_LOCKOUT"),
                post(
                        "suspend an unknown partner",
                        PARTNERS + "/nobody/suspend",
                        KEY_ADMIN,
                        null,
                        404,
                        "PARTNER_NOT_FOUND"),
                // Keys
                post(
                        "unknown scope",
                        PARTNERS + "/victim/keys",
                        KEY_ADMIN,
                        "{\"scope\":\"root\"}",
                        400,
                        "INVALID_BODY"),
                post(
                        "expiry in the past",
                        PARTNERS + "/victim/keys",
                        KEY_ADMIN,
                        "{\"scope\":\"read\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}",
                        400,
                        "TIMESTAMP_TOO_OLD"),
                post(
                        "expiry not a timestamp",
                        PARTNERS + "/victim/keys",
                        KEY_ADMIN,
                        "{\"scope\":\"read\",\"expiresAt\":\"tomorrow\"}",
                        400,
                        "INVALID_TIMESTAMP"),
                post(
                        "key for an unknown partner",
                        PARTNERS + "/nobody/keys",
                        KEY_ADMIN,
                        "{\"scope\":\"read\"}",
                        404,
                        "PARTNER_NOT_FOUND"),
                post(
                        "overlap above seven days",
                        victimKeys + victimKeyId + "/rotate",
                        KEY_ADMIN,
                        "{\"overlapSeconds\":604801}",
                        400,
                        "INVALID_BODY"),
                post(
                        "rotating another partner's key",
                        PARTNERS + "/other/keys/" + victimKeyId + "/rotate",
                        KEY_ADMIN,
                        "{}",
                        404,
                        "API_KEY_NOT_FOUND"),
                post(
                        "rotating a revoked key",
                        victimKeys + revokedKeyId + "/rotate",
                        KEY_ADMIN,
                        "{}",
                        409,
                        "API_KEY_NOT_ACTIVE"),
                post(
                        "revoking a revoked key",
                        victimKeys + revokedKeyId + "/revoke",
                        KEY_ADMIN,
                        null,
                        409,
                        "API_KEY_NOT_ACTIVE"),
                post(
                        "admin key revoking itself",
                        PARTNERS + "/ops/keys/" + adminKeyId + "/revoke",
                        KEY_ADMIN,
                        null,
                        409,
                        "SELF_LOCKOUT"),
                post(
                        "key id with a slash-like character",
                        victimKeys + "bad%20id/revoke",
                        KEY_ADMIN,
                        null,
                        400,
                        "INVALID_ID"),
                // Pagination
                get(
                        "page size zero",
                        PARTNERS + "?limit=0",
                        KEY_ADMIN,
                        400,
                        "INVALID_QUERY_PARAMETER"),
                get(
                        "page size above 200",
                        PARTNERS + "?limit=201",
                        KEY_ADMIN,
                        400,
                        "INVALID_QUERY_PARAMETER"),
                get(
                        "page size not a number",
                        PARTNERS + "?limit=ten",
                        KEY_ADMIN,
                        400,
                        "INVALID_QUERY_PARAMETER"),
                get(
                        "cursor not base64",
                        PARTNERS + "?cursor=!!!",
                        KEY_ADMIN,
                        400,
                        "INVALID_CURSOR"),
                get(
                        "audit cursor on the partner list",
                        PARTNERS + "?cursor=" + auditCursor,
                        KEY_ADMIN,
                        400,
                        "INVALID_CURSOR"),
                get(
                        "unknown query parameter",
                        PARTNERS + "?offset=10",
                        KEY_ADMIN,
                        400,
                        "INVALID_QUERY_PARAMETER"),
                get(
                        "audit filter not a partner id",
                        "/api/v1/admin/audit?partnerId=a%20b",
                        KEY_ADMIN,
                        400,
                        "INVALID_QUERY_PARAMETER"),
                get(
                        "audit cursor made up",
                        "/api/v1/admin/audit?cursor=YTE6LTE",
                        KEY_ADMIN,
                        400,
                        "INVALID_CURSOR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedAndChangesNothing(Case c) throws SQLException {
        String before = snapshot();

        HttpRequest.Builder request = api.client.request(c.path(), c.apiKey());
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        c.headers().forEach(request::header);
        request.method(
                c.method(),
                c.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(c.body()));
        Answer answer = api.client.send(request);

        assertThat(answer.status()).as(answer.body()).isEqualTo(c.status());
        assertThat(answer.header("Content-Type")).contains("application/problem+json");
        assertThat(answer.code()).as(answer.body()).isEqualTo(c.code());
        assertThat(answer.json().get("status").asInt()).isEqualTo(c.status());
        assertThat(answer.json().get("type").asText()).startsWith("https://");
        assertThat(snapshot()).as("partners, keys, audit trail").isEqualTo(before);
    }

    /** Everything an admin action could change, as one comparable string. */
    private static String snapshot() throws SQLException {
        try (Connection c = PartnerDatabases.connect(url);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT (SELECT version FROM partner_directory_version)"
                                        + " || '|' || (SELECT count(*) FROM admin_audit)"
                                        + " || '|' || (SELECT max(audit_id) FROM admin_audit)"
                                        + " || '|' || (SELECT md5(string_agg(p::text, ','"
                                        + " ORDER BY partner_id)) FROM partners p)"
                                        + " || '|' || (SELECT md5(string_agg(k::text, ','"
                                        + " ORDER BY key_id)) FROM api_keys k)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void create(String partnerId) {
        Answer created =
                api.client.post(
                        PARTNERS,
                        KEY_ADMIN,
                        "{\"partnerId\":\""
                                + partnerId
                                + "\",\"displayName\":\""
                                + partnerId
                                + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static String issue(String partnerId, String body) {
        Answer issued = api.client.post(PARTNERS + "/" + partnerId + "/keys", KEY_ADMIN, body);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().get("key").asText();
    }

    private static String keyIdOf(String key) {
        return key.substring(3, key.indexOf('_', 3));
    }

    private static void await(String key, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int got;
        do {
            got = api.client.get("/api/v1/accounts/no-such-account", key).status();
            if (got == status) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("key answered " + got + ", expected " + status);
    }
}
