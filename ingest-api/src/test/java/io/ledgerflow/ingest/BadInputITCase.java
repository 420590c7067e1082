package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.ingest.testutils.ApiClient;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, table-driven: each case asserts the status, the problem's machine-readable code (and
 * field where one is to blame), the problem+json content type, and that the real {@code
 * ledger.requests} topic did not grow.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class BadInputITCase {

    private static RunningApi api;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry) {
        api = new RunningApi(kafka, registry);
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
            String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String TX = "/api/v1/transactions";
    private static final String BATCH = "/api/v1/transactions:batch";
    private static final String JSON = "application/json";

    /** A valid TRANSFER, changed by {@code change}. */
    private static String movement(Consumer<ObjectNode> change) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("transactionId", "bad-" + System.nanoTime());
        node.put("type", "TRANSFER");
        node.put("sourceAccountId", "src");
        node.put("destinationAccountId", "dst");
        node.put("amount", "12.34");
        node.put("currency", "USD");
        change.accept(node);
        return node.toString();
    }

    private static Case tx(
            String name, Consumer<ObjectNode> change, int status, String code, String field) {
        return new Case(name, "POST", TX, KEY_A, JSON, movement(change), status, code, field);
    }

    /** An account opening with the given JSON value as its overdraft limit. */
    private static Case open(String name, String overdraftJson, String code) {
        return new Case(
                name,
                "POST",
                "/api/v1/accounts",
                KEY_A,
                JSON,
                "{\"accountId\":\"od\",\"currency\":\"USD\",\"overdraftLimit\":"
                        + overdraftJson
                        + "}",
                400,
                code,
                "overdraftLimit");
    }

    /** A HOLD whose own expiry is the given JSON value. */
    private static Case hold(String name, String expiryJson, String code) {
        String body =
                movement(
                        m -> {
                            m.put("type", "HOLD");
                            m.remove("destinationAccountId");
                        });
        return new Case(
                name,
                "POST",
                TX,
                KEY_A,
                JSON,
                body.substring(0, body.length() - 1)
                        + ",\"holdExpiresInSeconds\":"
                        + expiryJson
                        + "}",
                400,
                code,
                "holdExpiresInSeconds");
    }

    /** A change of account {@code od}'s overdraft limit with the given body. */
    private static Case limit(String name, String body, String code, String field) {
        return new Case(
                name,
                "PUT",
                "/api/v1/accounts/od/overdraft-limit",
                KEY_A,
                JSON,
                body,
                400,
                code,
                field);
    }

    private static Case raw(String name, String body, int status, String code) {
        return new Case(name, "POST", TX, KEY_A, JSON, body, status, code, null);
    }

    private static String batchOf(int n) {
        StringBuilder b = new StringBuilder("{\"items\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(movement(m -> {}));
        }
        return b.append("]}").toString();
    }

    static Stream<Case> cases() {
        String future = Instant.now().plus(Duration.ofHours(1)).toString();
        String old = Instant.now().minus(Duration.ofDays(31)).toString();
        ObjectNode manyEntries = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 21; i++) {
            manyEntries.put("k" + i, "v");
        }
        return Stream.of(
                // Body shape
                raw("truncated JSON", "{\"transactionId\":", 400, "MALFORMED_JSON"),
                raw("empty body", "", 400, "MALFORMED_JSON"),
                raw("trailing garbage", "{} x", 400, "MALFORMED_JSON"),
                raw(
                        "duplicate member",
                        "{\"amount\":\"1\",\"amount\":\"2\"}",
                        400,
                        "MALFORMED_JSON"),
                raw("array instead of object", "[1,2]", 400, "INVALID_BODY"),
                raw("string instead of object", "\"hello\"", 400, "INVALID_BODY"),
                tx(
                        "partnerId never from the body",
                        m -> m.put("partnerId", "other"),
                        400,
                        "UNKNOWN_FIELD",
                        "partnerId"),
                tx(
                        "unknown field",
                        m -> m.put("amountMinor", 1234),
                        400,
                        "UNKNOWN_FIELD",
                        "amountMinor"),
                // Ids
                tx(
                        "missing transactionId",
                        m -> m.remove("transactionId"),
                        400,
                        "MISSING_FIELD",
                        "transactionId"),
                tx(
                        "null transactionId",
                        m -> m.putNull("transactionId"),
                        400,
                        "MISSING_FIELD",
                        "transactionId"),
                tx(
                        "empty transactionId",
                        m -> m.put("transactionId", ""),
                        400,
                        "INVALID_ID",
                        "transactionId"),
                tx(
                        "transactionId of 65 chars",
                        m -> m.put("transactionId", "x".repeat(65)),
                        400,
                        "INVALID_ID",
                        "transactionId"),
                tx(
                        "transactionId with space",
                        m -> m.put("transactionId", "a b"),
                        400,
                        "INVALID_ID",
                        "transactionId"),
                tx(
                        "transactionId with slash",
                        m -> m.put("transactionId", "a/b"),
                        400,
                        "INVALID_ID",
                        "transactionId"),
                tx(
                        "transactionId as number",
                        m -> m.put("transactionId", 42),
                        400,
                        "INVALID_FIELD_TYPE",
                        "transactionId"),
                tx(
                        "sourceAccountId with unicode",
                        m -> m.put("sourceAccountId", "kontø"),
                        400,
                        "INVALID_ID",
                        "sourceAccountId"),
                tx(
                        "relatedTransactionId invalid",
                        m -> {
                            m.put("type", "CAPTURE");
                            m.put("relatedTransactionId", "h#1");
                        },
                        400,
                        "INVALID_ID",
                        "relatedTransactionId"),
                // Type
                tx("missing type", m -> m.remove("type"), 400, "MISSING_FIELD", "type"),
                tx(
                        "unknown type",
                        m -> m.put("type", "PAYMENT"),
                        400,
                        "INVALID_MOVEMENT_TYPE",
                        "type"),
                tx(
                        "lower-case type",
                        m -> m.put("type", "transfer"),
                        400,
                        "INVALID_MOVEMENT_TYPE",
                        "type"),
                // Currency and amount
                tx("missing currency", m -> m.remove("currency"), 400, "MISSING_FIELD", "currency"),
                tx(
                        "unknown currency",
                        m -> m.put("currency", "ABC"),
                        400,
                        "UNKNOWN_CURRENCY",
                        "currency"),
                tx(
                        "lower-case currency",
                        m -> m.put("currency", "usd"),
                        400,
                        "UNKNOWN_CURRENCY",
                        "currency"),
                tx(
                        "currency without minor units",
                        m -> m.put("currency", "XAU"),
                        400,
                        "UNKNOWN_CURRENCY",
                        "currency"),
                tx("missing amount", m -> m.remove("amount"), 400, "MISSING_FIELD", "amount"),
                tx(
                        "amount as JSON number",
                        m -> m.put("amount", 12.34),
                        400,
                        "INVALID_FIELD_TYPE",
                        "amount"),
                tx(
                        "amount not a number",
                        m -> m.put("amount", "abc"),
                        400,
                        "INVALID_AMOUNT",
                        "amount"),
                tx(
                        "amount with exponent",
                        m -> m.put("amount", "1e3"),
                        400,
                        "INVALID_AMOUNT",
                        "amount"),
                tx(
                        "amount with grouping",
                        m -> m.put("amount", "1,000.00"),
                        400,
                        "INVALID_AMOUNT",
                        "amount"),
                tx(
                        "negative amount",
                        m -> m.put("amount", "-5.00"),
                        400,
                        "AMOUNT_NOT_POSITIVE",
                        "amount"),
                tx("zero amount", m -> m.put("amount", "0"), 400, "AMOUNT_NOT_POSITIVE", "amount"),
                tx(
                        "excess precision USD",
                        m -> m.put("amount", "0.001"),
                        400,
                        "EXCESS_PRECISION",
                        "amount"),
                tx(
                        "excess precision JPY",
                        m -> {
                            m.put("amount", "1.5");
                            m.put("currency", "JPY");
                        },
                        400,
                        "EXCESS_PRECISION",
                        "amount"),
                tx(
                        "amount above maximum",
                        m -> m.put("amount", "10000000000000000"),
                        400,
                        "AMOUNT_TOO_LARGE",
                        "amount"),
                tx(
                        "amount beyond a long",
                        m -> m.put("amount", "99999999999999999999999"),
                        400,
                        "AMOUNT_TOO_LARGE",
                        "amount"),
                tx(
                        "amount of a long's worth of cents",
                        m -> m.put("amount", "92233720368547758.07"),
                        400,
                        "AMOUNT_TOO_LARGE",
                        "amount"),
                tx(
                        "DEPOSIT of a long's worth of yen",
                        m -> {
                            m.put("type", "DEPOSIT");
                            m.remove("sourceAccountId");
                            m.put("amount", "9223372036854775807");
                            m.put("currency", "JPY");
                        },
                        400,
                        "AMOUNT_TOO_LARGE",
                        "amount"),
                tx(
                        "amount one cent above the maximum",
                        m -> m.put("amount", "10000000000000.01"),
                        400,
                        "AMOUNT_TOO_LARGE",
                        "amount"),
                raw(
                        "number beyond any exponent",
                        movement(m -> m.putObject("metadata").put("n", "x"))
                                .replace("\"x\"", "1e-2147483649"),
                        400,
                        "MALFORMED_JSON"),
                tx(
                        "VOID with an amount",
                        m -> {
                            m.put("type", "VOID");
                            m.remove("destinationAccountId");
                            m.put("relatedTransactionId", "h-1");
                            m.put("amount", "1.00");
                        },
                        400,
                        "AMOUNT_NOT_ALLOWED",
                        "amount"),
                // Accounts per type
                tx(
                        "same source and destination",
                        m -> m.put("destinationAccountId", "src"),
                        400,
                        "SAME_ACCOUNT",
                        "destinationAccountId"),
                tx(
                        "TRANSFER without destination",
                        m -> m.remove("destinationAccountId"),
                        400,
                        "MISSING_FIELD",
                        "destinationAccountId"),
                tx(
                        "TRANSFER without source",
                        m -> m.remove("sourceAccountId"),
                        400,
                        "MISSING_FIELD",
                        "sourceAccountId"),
                tx(
                        "TRANSFER with related id",
                        m -> m.put("relatedTransactionId", "t-0"),
                        400,
                        "FIELD_NOT_ALLOWED",
                        "relatedTransactionId"),
                tx(
                        "DEPOSIT with source",
                        m -> m.put("type", "DEPOSIT"),
                        400,
                        "FIELD_NOT_ALLOWED",
                        "sourceAccountId"),
                tx(
                        "WITHDRAWAL with destination",
                        m -> m.put("type", "WITHDRAWAL"),
                        400,
                        "FIELD_NOT_ALLOWED",
                        "destinationAccountId"),
                tx(
                        "CAPTURE without related HOLD",
                        m -> m.put("type", "CAPTURE"),
                        400,
                        "MISSING_FIELD",
                        "relatedTransactionId"),
                tx(
                        "CAPTURE without held account",
                        m -> {
                            m.put("type", "CAPTURE");
                            m.remove("sourceAccountId");
                            m.put("relatedTransactionId", "h-1");
                        },
                        400,
                        "MISSING_FIELD",
                        "sourceAccountId"),
                tx(
                        "REFUND without original payer",
                        m -> {
                            m.put("type", "REFUND");
                            m.remove("destinationAccountId");
                            m.put("relatedTransactionId", "t-1");
                        },
                        400,
                        "MISSING_FIELD",
                        "destinationAccountId"),
                tx(
                        "account id as object",
                        m -> m.putObject("sourceAccountId"),
                        400,
                        "INVALID_FIELD_TYPE",
                        "sourceAccountId"),
                // Time
                tx(
                        "eventTime not ISO-8601",
                        m -> m.put("eventTime", "yesterday"),
                        400,
                        "INVALID_TIMESTAMP",
                        "eventTime"),
                tx(
                        "eventTime without offset",
                        m -> m.put("eventTime", "2026-01-01T00:00:00"),
                        400,
                        "INVALID_TIMESTAMP",
                        "eventTime"),
                tx(
                        "eventTime as epoch number",
                        m -> m.put("eventTime", 1700000000000L),
                        400,
                        "INVALID_FIELD_TYPE",
                        "eventTime"),
                tx(
                        "eventTime an hour ahead",
                        m -> m.put("eventTime", future),
                        400,
                        "TIMESTAMP_IN_FUTURE",
                        "eventTime"),
                tx(
                        "eventTime 31 days old",
                        m -> m.put("eventTime", old),
                        400,
                        "TIMESTAMP_TOO_OLD",
                        "eventTime"),
                // Metadata
                tx(
                        "metadata not an object",
                        m -> m.put("metadata", "note"),
                        400,
                        "INVALID_FIELD_TYPE",
                        "metadata"),
                tx(
                        "metadata value a number",
                        m -> m.putObject("metadata").put("n", 1),
                        400,
                        "INVALID_METADATA",
                        "metadata.n"),
                tx(
                        "metadata with 21 entries",
                        m -> m.set("metadata", manyEntries),
                        400,
                        "INVALID_METADATA",
                        "metadata"),
                tx(
                        "metadata value too long",
                        m -> m.putObject("metadata").put("note", "x".repeat(501)),
                        400,
                        "INVALID_METADATA",
                        "metadata.note"),
                tx(
                        "metadata key of 41 characters",
                        m -> m.putObject("metadata").put("k".repeat(41), "v"),
                        400,
                        "INVALID_METADATA",
                        "metadata." + "k".repeat(41)),
                tx(
                        "metadata key empty",
                        m -> m.putObject("metadata").put("", "v"),
                        400,
                        "INVALID_METADATA",
                        "metadata."),
                tx(
                        "metadata key with a space",
                        m -> m.putObject("metadata").put("order id", "v"),
                        400,
                        "INVALID_METADATA",
                        "metadata.order id"),
                tx(
                        "metadata value with a newline",
                        m -> m.putObject("metadata").put("note", "line 1\nline 2"),
                        400,
                        "INVALID_METADATA",
                        "metadata.note"),
                // External reference
                tx(
                        "externalReference empty",
                        m -> m.put("externalReference", ""),
                        400,
                        "INVALID_EXTERNAL_REFERENCE",
                        "externalReference"),
                tx(
                        "externalReference of 129 characters",
                        m -> m.put("externalReference", "r".repeat(129)),
                        400,
                        "INVALID_EXTERNAL_REFERENCE",
                        "externalReference"),
                tx(
                        "externalReference with a control character",
                        m -> m.put("externalReference", "INV\u00001"),
                        400,
                        "INVALID_EXTERNAL_REFERENCE",
                        "externalReference"),
                tx(
                        "externalReference as number",
                        m -> m.put("externalReference", 42),
                        400,
                        "INVALID_FIELD_TYPE",
                        "externalReference"),
                // HTTP level
                new Case(
                        "text/plain body",
                        "POST",
                        TX,
                        KEY_A,
                        "text/plain",
                        movement(m -> {}),
                        415,
                        "UNSUPPORTED_MEDIA_TYPE",
                        null),
                new Case(
                        "no Content-Type",
                        "POST",
                        TX,
                        KEY_A,
                        null,
                        movement(m -> {}),
                        415,
                        "UNSUPPORTED_MEDIA_TYPE",
                        null),
                new Case(
                        "body over 64 KiB",
                        "POST",
                        TX,
                        KEY_A,
                        JSON,
                        movement(m -> m.putObject("metadata").put("note", "x".repeat(70_000))),
                        413,
                        "PAYLOAD_TOO_LARGE",
                        null),
                new Case(
                        "no API key",
                        "POST",
                        TX,
                        null,
                        JSON,
                        movement(m -> {}),
                        401,
                        "UNAUTHENTICATED",
                        null),
                new Case(
                        "unknown API key",
                        "POST",
                        TX,
                        "not-a-key",
                        JSON,
                        movement(m -> {}),
                        401,
                        "UNAUTHENTICATED",
                        null),
                new Case(
                        "unknown route",
                        "POST",
                        "/api/v1/payments",
                        KEY_A,
                        JSON,
                        movement(m -> {}),
                        404,
                        "ROUTE_NOT_FOUND",
                        null),
                new Case(
                        "wrong method",
                        "PUT",
                        TX,
                        KEY_A,
                        JSON,
                        movement(m -> {}),
                        405,
                        "METHOD_NOT_ALLOWED",
                        null),
                new Case(
                        "malformed transaction id in the path",
                        "GET",
                        TX + "/bad%20id",
                        KEY_A,
                        null,
                        null,
                        400,
                        "INVALID_ID",
                        "transactionId"),
                new Case(
                        "malformed account id in the path",
                        "GET",
                        "/api/v1/accounts/" + "a".repeat(65),
                        KEY_A,
                        null,
                        null,
                        400,
                        "INVALID_ID",
                        "accountId"),
                new Case(
                        "malformed account id in a command path",
                        "POST",
                        "/api/v1/accounts/bad%7Cid/freeze",
                        KEY_A,
                        null,
                        null,
                        400,
                        "INVALID_ID",
                        "accountId"),
                new Case(
                        "admin route with partner key",
                        "GET",
                        "/api/v1/admin/accounts/src",
                        KEY_A,
                        null,
                        null,
                        403,
                        "ADMIN_REQUIRED",
                        null),
                // Batches
                new Case(
                        "batch with empty items",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        "{\"items\":[]}",
                        400,
                        "BATCH_EMPTY",
                        "items"),
                new Case(
                        "batch of 1001",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        batchOf(1001),
                        400,
                        "BATCH_TOO_LARGE",
                        "items"),
                new Case(
                        "batch items not an array",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        "{\"items\":{}}",
                        400,
                        "INVALID_FIELD_TYPE",
                        "items"),
                new Case(
                        "batch without items",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        "{}",
                        400,
                        "MISSING_FIELD",
                        "items"),
                new Case(
                        "batch with unknown member",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        "{\"items\":[],\"atomic\":true}",
                        400,
                        "UNKNOWN_FIELD",
                        "atomic"),
                new Case(
                        "batch that is an array",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        "[]",
                        400,
                        "INVALID_BODY",
                        null),
                new Case(
                        "batch over 4 MiB",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        "{\"items\":[" + "\"" + "x".repeat(4_200_000) + "\"]}",
                        413,
                        "PAYLOAD_TOO_LARGE",
                        null),
                // Accounts
                new Case(
                        "open SYSTEM account",
                        "POST",
                        "/api/v1/accounts",
                        KEY_A,
                        JSON,
                        "{\"accountId\":\"sys\",\"currency\":\"USD\",\"type\":\"SYSTEM\"}",
                        400,
                        "INVALID_ACCOUNT_TYPE",
                        "type"),
                new Case(
                        "open with negative overdraft",
                        "POST",
                        "/api/v1/accounts",
                        KEY_A,
                        JSON,
                        "{\"accountId\":\"od\",\"currency\":\"USD\",\"overdraftLimit\":\"-1\"}",
                        400,
                        "AMOUNT_NOT_POSITIVE",
                        "overdraftLimit"),
                open(
                        "open with overdraft of Long.MIN_VALUE",
                        "\"-9223372036854775808\"",
                        "AMOUNT_NOT_POSITIVE"),
                open(
                        "open with overdraft beyond a long",
                        "\"99999999999999999999999\"",
                        "AMOUNT_TOO_LARGE"),
                open(
                        "open with overdraft above the maximum",
                        "\"10000000000000.01\"",
                        "AMOUNT_TOO_LARGE"),
                open("open with overdraft in exponent form", "\"1e18\"", "INVALID_AMOUNT"),
                open(
                        "open with overdraft as JSON number",
                        "9223372036854775807",
                        "INVALID_FIELD_TYPE"),
                new Case(
                        "batch with a number beyond any exponent",
                        "POST",
                        BATCH,
                        KEY_A,
                        JSON,
                        "{\"items\":[{\"amount\":1E2147483648}]}",
                        400,
                        "MALFORMED_JSON",
                        null),
                new Case(
                        "open with balance",
                        "POST",
                        "/api/v1/accounts",
                        KEY_A,
                        JSON,
                        "{\"accountId\":\"b\",\"currency\":\"USD\",\"balance\":\"5\"}",
                        400,
                        "UNKNOWN_FIELD",
                        "balance"),
                new Case(
                        "open without currency",
                        "POST",
                        "/api/v1/accounts",
                        KEY_A,
                        JSON,
                        "{\"accountId\":\"c\"}",
                        400,
                        "MISSING_FIELD",
                        "currency"),
                hold("hold expiry above the maximum", "2592001", "INVALID_HOLD_EXPIRY"),
                hold("hold expiry zero", "0", "INVALID_HOLD_EXPIRY"),
                hold("hold expiry negative", "-60", "INVALID_HOLD_EXPIRY"),
                hold("hold expiry beyond 64 bits", "99999999999999999999", "INVALID_HOLD_EXPIRY"),
                hold("hold expiry as a duration string", "\"15m\"", "INVALID_FIELD_TYPE"),
                hold("hold expiry fractional", "1.5", "INVALID_FIELD_TYPE"),
                tx(
                        "hold expiry on a transfer",
                        m -> m.put("holdExpiresInSeconds", 60),
                        400,
                        "FIELD_NOT_ALLOWED",
                        "holdExpiresInSeconds"),
                limit(
                        "overdraft limit negative",
                        "{\"overdraftLimit\":\"-5.00\",\"currency\":\"USD\"}",
                        "AMOUNT_NOT_POSITIVE",
                        "overdraftLimit"),
                limit(
                        "overdraft limit above the maximum",
                        "{\"overdraftLimit\":\"10000000000000.01\",\"currency\":\"USD\"}",
                        "AMOUNT_TOO_LARGE",
                        "overdraftLimit"),
                limit(
                        "overdraft limit malformed",
                        "{\"overdraftLimit\":\"12,50\",\"currency\":\"USD\"}",
                        "INVALID_AMOUNT",
                        "overdraftLimit"),
                limit(
                        "overdraft limit with too many decimals",
                        "{\"overdraftLimit\":\"1.001\",\"currency\":\"USD\"}",
                        "EXCESS_PRECISION",
                        "overdraftLimit"),
                limit(
                        "overdraft limit as JSON number",
                        "{\"overdraftLimit\":500,\"currency\":\"USD\"}",
                        "INVALID_FIELD_TYPE",
                        "overdraftLimit"),
                limit(
                        "overdraft limit missing",
                        "{\"currency\":\"USD\"}",
                        "MISSING_FIELD",
                        "overdraftLimit"),
                limit(
                        "overdraft limit without currency",
                        "{\"overdraftLimit\":\"5.00\"}",
                        "MISSING_FIELD",
                        "currency"),
                limit(
                        "overdraft limit in an unknown currency",
                        "{\"overdraftLimit\":\"5.00\",\"currency\":\"XYZ\"}",
                        "UNKNOWN_CURRENCY",
                        "currency"),
                limit(
                        "overdraft limit with an unknown field",
                        "{\"overdraftLimit\":\"5.00\",\"currency\":\"USD\",\"max\":\"9\"}",
                        "UNKNOWN_FIELD",
                        "max"),
                limit("overdraft limit not an object", "[\"5.00\"]", "INVALID_BODY", null),
                new Case(
                        "overdraft limit of an invalid account id",
                        "PUT",
                        "/api/v1/accounts/a%20b/overdraft-limit",
                        KEY_A,
                        JSON,
                        "{\"overdraftLimit\":\"5.00\",\"currency\":\"USD\"}",
                        400,
                        "INVALID_ID",
                        "accountId"),
                new Case(
                        "freeze an invalid account id",
                        "POST",
                        "/api/v1/accounts/a%20b/freeze",
                        KEY_A,
                        null,
                        null,
                        400,
                        "INVALID_ID",
                        "accountId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedAndNothingIsProduced(Case c) {
        Map<TopicPartition, Long> before = api.topic.endOffsets();

        HttpRequest.Builder request = api.client.request(c.path(), c.apiKey());
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        request.method(
                c.method(),
                c.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(c.body()));
        Answer answer = api.client.send(request);

        assertThat(answer.status()).as(answer.body()).isEqualTo(c.status());
        assertThat(answer.header("Content-Type")).contains("application/problem+json");
        assertThat(answer.code()).as(answer.body()).isEqualTo(c.code());
        if (c.field() != null) {
            assertThat(answer.field()).as(answer.body()).isEqualTo(c.field());
        }
        assertThat(answer.json().get("status").asInt()).isEqualTo(c.status());
        assertThat(answer.json().get("type").asText()).startsWith("https://");
        assertThat(api.topic.countSince(before)).as("records produced").isZero();
    }

    @Test
    void thereAreAtLeastFortyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void wrongMethodListsTheAllowedOnes() {
        // GET lists the history (issue 16), POST submits; nothing deletes a transaction.
        Answer answer = api.client.method("DELETE", TX, KEY_A);
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("GET", "POST"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparsableRequests")
    void anUnparsableRequestGetsAProblemAndTheConnectionCloses(
            String name, String requestHead, int status, String code) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // Connection: close, so the whole answer is what arrives before the server closes.
            String answer =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(head).as(answer).matches("(?s)http/1\\.[01] " + status + " .*");
            assertThat(head).contains("content-type: application/problem+json");
            assertThat(head).contains("connection: close");
            assertThat(body).contains("\"code\":\"" + code + "\"");
        }
        // The server still serves new connections.
        assertThat(new ApiClient(api.server.port()).get("/health/live", null).status())
                .isEqualTo(200);
    }

    static Stream<Arguments> unparsableRequests() {
        return Stream.of(
                Arguments.of(
                        "100 kB header",
                        "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: "
                                + "x".repeat(100_000)
                                + "\r\n\r\n",
                        431,
                        "HEADERS_TOO_LARGE"),
                Arguments.of(
                        "10 kB path",
                        "GET /" + "p".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                        414,
                        "URI_TOO_LONG"),
                Arguments.of("not HTTP", "HELLO\r\n\r\n", 400, "MALFORMED_REQUEST"));
    }

    @Test
    void chunkedBodyOverTheLimitIsRefused() {
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        byte[] big =
                movement(m -> m.putObject("metadata").put("n", "x".repeat(100_000))).getBytes();
        HttpRequest.Builder request =
                api.client
                        .request(TX, KEY_A)
                        .header("Content-Type", JSON)
                        // An input stream has no known length: sent chunked, without
                        // Content-Length.
                        .POST(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new ByteArrayInputStream(big)));
        Answer answer = api.client.send(request);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(api.topic.countSince(before)).isZero();
        // The server still serves new connections.
        assertThat(new ApiClient(api.server.port()).get("/health/live", null).status())
                .isEqualTo(200);
    }
}
