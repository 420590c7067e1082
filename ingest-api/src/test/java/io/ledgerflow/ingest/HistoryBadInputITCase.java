package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_A;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.ReadModelRows;
import io.ledgerflow.ingest.testutils.ReadModelRows.Transaction;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.net.http.HttpRequest;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on the history routes (transaction history, an account's entries, balance at a time,
 * statement), table-driven against the real PostgreSQL read model: each case asserts the status,
 * the problem's machine-readable code, its {@code field} where one parameter is to blame, and the
 * problem+json shape. Parameters are checked in a fixed order, so each row gets exactly one code.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class HistoryBadInputITCase {

    private static final String HISTORY = "/api/v1/transactions";
    private static final String ACCOUNT_A = "bad-in-a";
    private static final String BUSY_A = "bad-in-busy";
    private static final String ACCOUNT_B = "bad-in-b";
    private static final String ENTRIES_A = "/api/v1/accounts/" + ACCOUNT_A + "/entries";
    private static final String BALANCE_A = "/api/v1/accounts/" + ACCOUNT_A + "/balance";
    private static final String STATEMENT_A = "/api/v1/accounts/" + ACCOUNT_A + "/statement";

    /** When the seeded rows were posted: two days ago, so that every range below covers them. */
    private static final Instant T0 =
            Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private static ReadModelRows rows;
    private static RunningApi api;

    /** Second-page cursors, as the API issued them. */
    private static String transferCursor;

    private static String entriesCursor;
    private static String adminHistoryCursor;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres)
            throws SQLException {
        rows = ReadModelRows.create(postgres, "api_history_bad_input_it");
        rows.account(ACCOUNT_A, PARTNER_A, "USD");
        rows.account(BUSY_A, PARTNER_A, "USD");
        rows.account(ACCOUNT_B, PARTNER_B, "USD");
        Instant t0 = T0;
        for (int i = 0; i < 3; i++) {
            rows.transaction(
                    Transaction.transfer(
                            PARTNER_A, "bad-t" + i, ACCOUNT_A, BUSY_A, 100, t0.plusSeconds(i)));
            rows.entry(
                    new ReadModelRows.Entry(
                            ACCOUNT_A,
                            i + 1,
                            "bad-t" + i,
                            PARTNER_A,
                            "TRANSFER",
                            "DEBIT",
                            100,
                            -100L * (i + 1),
                            BUSY_A,
                            t0.plusSeconds(i)));
        }
        // More entries in one day than a statement holds: one statement of the sinks' kind.
        try (Statement s = rows.connection().createStatement()) {
            s.execute(
                    "INSERT INTO ledger_entries (account_id, sequence, transaction_id, partner_id,"
                            + " movement_type, direction, amount_minor, currency,"
                            + " balance_after_minor, counterparty_account_id, reversal, event_time,"
                            + " posted_time, previous_hash, hash)"
                            + " SELECT '"
                            + BUSY_A
                            + "', g, 'busy-' || g, '"
                            + PARTNER_A
                            + "', 'DEPOSIT', 'CREDIT', 1, 'USD', g, 'sys', false,"
                            + " timestamptz '"
                            + t0
                            + "' + g * interval '1 ms', timestamptz '"
                            + t0
                            + "' + g * interval '1 ms', repeat('0', 64), repeat('1', 64)"
                            + " FROM generate_series(1, 10001) AS g");
        }
        api = new RunningApi(kafka, registry, rows.apiEnv());
        transferCursor = nextCursor(HISTORY + "?type=TRANSFER&limit=1", KEY_A);
        entriesCursor = nextCursor(ENTRIES_A + "?limit=1", KEY_A);
        adminHistoryCursor =
                nextCursor(
                        "/api/v1/admin/partners/" + PARTNER_A + "/transactions?limit=1", KEY_ADMIN);
    }

    private static String nextCursor(String path, String key) {
        Answer page = api.client.get(path, key);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String cursor = page.json().get("nextCursor").asText();
        assertThat(cursor).isNotEmpty();
        return cursor;
    }

    @AfterAll
    static void stop() throws SQLException {
        if (api != null) {
            api.close();
        }
        if (rows != null) {
            rows.close();
        }
    }

    /** One row of the table; {@code field} null when no single parameter is to blame. */
    record Case(
            String name,
            String path,
            String apiKey,
            Map<String, String> headers,
            int status,
            String code,
            String field) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case get(String name, String path, int status, String code, String field) {
        return new Case(name, path, KEY_A, Map.of(), status, code, field);
    }

    private static Case get(
            String name, String path, String key, int status, String code, String field) {
        return new Case(name, path, key, Map.of(), status, code, field);
    }

    /** {@code metadata[key]} as a URL carries it (brackets percent-encoded). */
    static String metadata(String key) {
        return "metadata%5B" + key + "%5D";
    }

    /** The cursor with one character of its signature changed. */
    private static String tampered(String cursor) {
        byte[] bytes = Base64.getUrlDecoder().decode(cursor);
        bytes[bytes.length - 1] ^= 0x01;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The cursor with its position changed and the signature kept: a forged position. */
    private static String forgedPosition(String cursor) {
        byte[] bytes = Base64.getUrlDecoder().decode(cursor);
        bytes[20] ^= 0x01;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Stream<Case> cases() {
        String plus = "%2B";
        String metadata6 =
                Stream.of("a", "b", "c", "d", "e", "f")
                        .map(k -> metadata(k) + "=1")
                        .collect(java.util.stream.Collectors.joining("&"));
        String oldStyle = Base64.getUrlEncoder().withoutPadding().encodeToString("p1:x".getBytes());
        return Stream.of(
                // Who may call
                get("no key", HISTORY, null, 401, "UNAUTHENTICATED", null),
                get(
                        "partner key on an admin history route",
                        "/api/v1/admin/partners/" + PARTNER_B + "/transactions",
                        403,
                        "ADMIN_REQUIRED",
                        null),
                get(
                        "partner key on an admin account route",
                        "/api/v1/admin/accounts/" + ACCOUNT_B + "/entries",
                        403,
                        "ADMIN_REQUIRED",
                        null),
                // Page size
                get("limit 0", HISTORY + "?limit=0", 400, "INVALID_QUERY_PARAMETER", "limit"),
                get("limit 201", HISTORY + "?limit=201", 400, "INVALID_QUERY_PARAMETER", "limit"),
                get(
                        "limit not a number",
                        HISTORY + "?limit=ten",
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "limit"),
                get(
                        "limit negative",
                        ENTRIES_A + "?limit=-1",
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "limit"),
                get(
                        "limit with a decimal",
                        ENTRIES_A + "?limit=1.5",
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "limit"),
                // Filters
                get(
                        "unknown filter",
                        HISTORY + "?colour=red",
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "colour"),
                get(
                        "partnerId is never a filter of the partner route",
                        HISTORY + "?partnerId=" + PARTNER_B,
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "partnerId"),
                get(
                        "filter given twice",
                        HISTORY + "?type=TRANSFER&type=HOLD",
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "type"),
                get(
                        "unknown type",
                        HISTORY + "?type=PAYMENT",
                        400,
                        "INVALID_MOVEMENT_TYPE",
                        "type"),
                get(
                        "type in lower case",
                        HISTORY + "?type=transfer",
                        400,
                        "INVALID_MOVEMENT_TYPE",
                        "type"),
                get("unknown status", HISTORY + "?status=PENDING", 400, "INVALID_STATUS", "status"),
                get(
                        "ACCEPTED is the API's, not a ledger status",
                        HISTORY + "?status=ACCEPTED",
                        400,
                        "INVALID_STATUS",
                        "status"),
                get(
                        "malformed account id",
                        HISTORY + "?accountId=a%20b",
                        400,
                        "INVALID_ID",
                        "accountId"),
                get(
                        "another partner's account as filter",
                        HISTORY + "?accountId=" + ACCOUNT_B,
                        404,
                        "ACCOUNT_NOT_FOUND",
                        "accountId"),
                get(
                        "unknown account as filter",
                        HISTORY + "?accountId=no-such-account",
                        404,
                        "ACCOUNT_NOT_FOUND",
                        "accountId"),
                get(
                        "too many metadata filters",
                        HISTORY + "?" + metadata6,
                        400,
                        "INVALID_METADATA",
                        "metadata"),
                get(
                        "metadata filter without key",
                        HISTORY + "?" + metadata("") + "=x",
                        400,
                        "INVALID_METADATA",
                        "metadata[]"),
                get(
                        "metadata filter without value",
                        HISTORY + "?" + metadata("k") + "=",
                        400,
                        "INVALID_METADATA",
                        "metadata[k]"),
                get(
                        "metadata filter not in brackets",
                        HISTORY + "?metadata.k=v",
                        400,
                        "INVALID_METADATA",
                        "metadata.k"),
                get(
                        "metadata value too long",
                        HISTORY + "?" + metadata("k") + "=" + "v".repeat(513),
                        400,
                        "INVALID_METADATA",
                        "metadata[k]"),
                // Times and ranges
                get("time in words", HISTORY + "?from=yesterday", 400, "INVALID_TIMESTAMP", "from"),
                get(
                        "time without offset",
                        HISTORY + "?from=2026-12-01T00:00:00",
                        400,
                        "INVALID_TIMESTAMP",
                        "from"),
                get(
                        "month 13",
                        HISTORY + "?to=2026-13-01T00:00:00Z",
                        400,
                        "INVALID_TIMESTAMP",
                        "to"),
                get("date only", ENTRIES_A + "?to=2026-12-01", 400, "INVALID_TIMESTAMP", "to"),
                get(
                        "before 1970",
                        HISTORY + "?from=1969-12-31T23:59:59Z",
                        400,
                        "INVALID_TIMESTAMP",
                        "from"),
                get(
                        "reversed range",
                        HISTORY + "?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
                        400,
                        "INVALID_RANGE",
                        "to"),
                get(
                        "empty range (offsets name the same instant)",
                        ENTRIES_A
                                + "?from=2026-12-01T01:00:00"
                                + plus
                                + "01:00&to=2026-12-01T00:00:00Z",
                        400,
                        "INVALID_RANGE",
                        "to"),
                // Cursors
                get(
                        "tampered cursor",
                        HISTORY + "?type=TRANSFER&cursor=" + tampered(transferCursor),
                        400,
                        "INVALID_CURSOR",
                        "cursor"),
                get(
                        "forged position under a kept signature",
                        HISTORY + "?type=TRANSFER&cursor=" + forgedPosition(transferCursor),
                        400,
                        "INVALID_CURSOR",
                        "cursor"),
                get(
                        "cursor not base64url",
                        HISTORY + "?cursor=!!!",
                        400,
                        "INVALID_CURSOR",
                        "cursor"),
                get(
                        "an admin route's partner cursor",
                        HISTORY + "?cursor=" + oldStyle,
                        400,
                        "INVALID_CURSOR",
                        "cursor"),
                get(
                        "cursor from other filters",
                        HISTORY + "?type=DEPOSIT&cursor=" + transferCursor,
                        400,
                        "CURSOR_MISMATCH",
                        "cursor"),
                get(
                        "cursor without its filters",
                        HISTORY + "?cursor=" + transferCursor,
                        400,
                        "CURSOR_MISMATCH",
                        "cursor"),
                get(
                        "another partner's cursor",
                        HISTORY + "?type=TRANSFER&cursor=" + transferCursor,
                        KEY_B,
                        400,
                        "CURSOR_MISMATCH",
                        "cursor"),
                get(
                        "an admin route's cursor on the partner route",
                        HISTORY + "?cursor=" + adminHistoryCursor,
                        400,
                        "CURSOR_MISMATCH",
                        "cursor"),
                get(
                        "an entries cursor on the history",
                        HISTORY + "?cursor=" + entriesCursor,
                        400,
                        "INVALID_CURSOR",
                        "cursor"),
                get(
                        "a history cursor on the entries",
                        ENTRIES_A + "?type=TRANSFER&cursor=" + transferCursor,
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "type"),
                get(
                        "a history cursor on the entries, alone",
                        ENTRIES_A + "?cursor=" + transferCursor,
                        400,
                        "INVALID_CURSOR",
                        "cursor"),
                get(
                        "an entries cursor with another range",
                        ENTRIES_A + "?from=2020-01-01T00:00:00Z&cursor=" + entriesCursor,
                        400,
                        "CURSOR_MISMATCH",
                        "cursor"),
                get(
                        "an entries cursor on another account",
                        "/api/v1/accounts/" + BUSY_A + "/entries?cursor=" + entriesCursor,
                        400,
                        "CURSOR_MISMATCH",
                        "cursor"),
                // Accounts
                get(
                        "another partner's account's entries",
                        "/api/v1/accounts/" + ACCOUNT_B + "/entries",
                        404,
                        "ACCOUNT_NOT_FOUND",
                        null),
                get(
                        "unknown account's entries",
                        "/api/v1/accounts/no-such-account/entries",
                        404,
                        "ACCOUNT_NOT_FOUND",
                        null),
                get(
                        "another partner's account's balance",
                        "/api/v1/accounts/" + ACCOUNT_B + "/balance",
                        404,
                        "ACCOUNT_NOT_FOUND",
                        null),
                get(
                        "another partner's account's statement",
                        "/api/v1/accounts/"
                                + ACCOUNT_B
                                + "/statement?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z",
                        404,
                        "ACCOUNT_NOT_FOUND",
                        null),
                get(
                        "malformed account id in the path",
                        "/api/v1/accounts/a%20b/balance",
                        400,
                        "INVALID_ID",
                        "accountId"),
                get(
                        "malformed partner id in the admin path",
                        "/api/v1/admin/partners/a:b/transactions",
                        KEY_ADMIN,
                        400,
                        "INVALID_ID",
                        "partnerId"),
                // Balance
                get("balance at garbage", BALANCE_A + "?at=now", 400, "INVALID_TIMESTAMP", "at"),
                get(
                        "balance with a range",
                        BALANCE_A + "?from=2026-01-01T00:00:00Z",
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "from"),
                // Statement
                get(
                        "statement without from",
                        STATEMENT_A + "?to=2026-02-01T00:00:00Z",
                        400,
                        "MISSING_QUERY_PARAMETER",
                        "from"),
                get(
                        "statement without to",
                        STATEMENT_A + "?from=2026-02-01T00:00:00Z",
                        400,
                        "MISSING_QUERY_PARAMETER",
                        "to"),
                get(
                        "statement over more than 366 days",
                        STATEMENT_A + "?from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z",
                        400,
                        "RANGE_TOO_WIDE",
                        "to"),
                get(
                        "statement reversed",
                        STATEMENT_A + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                        400,
                        "INVALID_RANGE",
                        "to"),
                get(
                        "statement paged",
                        STATEMENT_A + "?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit=10",
                        400,
                        "INVALID_QUERY_PARAMETER",
                        "limit"),
                new Case(
                        "statement as XML",
                        STATEMENT_A + "?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z",
                        KEY_A,
                        Map.of("Accept", "application/xml"),
                        406,
                        "NOT_ACCEPTABLE",
                        null),
                get(
                        "statement with more entries than one answer holds",
                        "/api/v1/accounts/"
                                + BUSY_A
                                + "/statement?from="
                                + T0.minus(1, ChronoUnit.DAYS)
                                + "&to="
                                + T0.plus(1, ChronoUnit.DAYS),
                        422,
                        "STATEMENT_TOO_LARGE",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithItsCode(Case c) {
        HttpRequest.Builder request = api.client.request(c.path(), c.apiKey()).GET();
        c.headers().forEach(request::header);
        Answer answer = api.client.send(request);

        assertThat(answer.status()).as(answer.body()).isEqualTo(c.status());
        assertThat(answer.header("Content-Type")).contains("application/problem+json");
        assertThat(answer.code()).as(answer.body()).isEqualTo(c.code());
        assertThat(answer.field()).as(answer.body()).isEqualTo(c.field());
        assertThat(answer.json().get("status").asInt()).isEqualTo(c.status());
        assertThat(answer.json().get("type").asText()).startsWith("https://");
        assertThat(answer.json().get("detail").asText()).isNotBlank();
    }
}
