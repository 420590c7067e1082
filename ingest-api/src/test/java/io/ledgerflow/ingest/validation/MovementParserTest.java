package io.ledgerflow.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MovementParserTest {

    private final MovementParser parser =
            new MovementParser(
                    ValidationLimits.DEFAULTS,
                    Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));

    private MovementSubmission parse(String json) {
        return parser.parse(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsesATransferIntoMinorUnits() {
        MovementSubmission s =
                parse(
                        "{\"transactionId\":\"t-1\",\"type\":\"TRANSFER\",\"sourceAccountId\":\"a\","
                                + "\"destinationAccountId\":\"b\",\"amount\":\"12.3\",\"currency\":\"USD\","
                                + "\"eventTime\":\"2026-11-21T11:00:00+01:00\",\"metadata\":{\"k\":\"v\"}}");
        assertThat(s.amountMinor()).isEqualTo(1230);
        assertThat(s.type()).isEqualTo(MovementType.TRANSFER);
        assertThat(s.eventTime()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(s.ledgerKey()).isEqualTo("a");
        assertThat(s.metadata()).containsEntry("k", "v");
    }

    private static final String HOLD =
            "{\"transactionId\":\"h\",\"type\":\"HOLD\",\"sourceAccountId\":\"a\","
                    + "\"amount\":\"5\",\"currency\":\"EUR\"";

    @Test
    void aHoldMayCarryItsOwnExpiryInSeconds() {
        assertThat(parse(HOLD + ",\"holdExpiresInSeconds\":900}").holdExpiresInMillis())
                .isEqualTo(900_000L);
        assertThat(parse(HOLD + ",\"holdExpiresInSeconds\":2592000}").holdExpiresInMillis())
                .isEqualTo(2_592_000_000L);
        assertThat(parse(HOLD + "}").holdExpiresInMillis()).isNull();
        assertThat(parse(HOLD + ",\"holdExpiresInSeconds\":null}").holdExpiresInMillis()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2592001|INVALID_HOLD_EXPIRY",
                "0|INVALID_HOLD_EXPIRY",
                "-1|INVALID_HOLD_EXPIRY",
                "1.5|INVALID_FIELD_TYPE",
                "'\"PT15M\"'|INVALID_FIELD_TYPE",
                "true|INVALID_FIELD_TYPE"
            })
    void aHoldExpiryOutsideOneSecondToTheMaximumIsRefused(String expiry, String code) {
        assertThatThrownBy(() -> parse(HOLD + ",\"holdExpiresInSeconds\":" + expiry + "}"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> {
                            assertThat(e.problem().code().name()).isEqualTo(code);
                            assertThat(e.problem().field()).isEqualTo("holdExpiresInSeconds");
                        });
    }

    @Test
    void theOwnExpiryChangesTheFingerprintOnlyWhenGiven() {
        MovementSubmission without = parse(HOLD + "}");
        MovementSubmission with = parse(HOLD + ",\"holdExpiresInSeconds\":60}");
        assertThat(with.fingerprint()).isNotEqualTo(without.fingerprint());
        assertThat(without.fingerprint())
                .isEqualTo(
                        new MovementSubmission(
                                        "h",
                                        MovementType.HOLD,
                                        "a",
                                        null,
                                        null,
                                        500,
                                        "EUR",
                                        null,
                                        java.util.Map.of())
                                .fingerprint());
    }

    @Test
    void depositsAreKeyedByDestinationAndVoidsCarryZero() {
        assertThat(
                        parse(
                                        "{\"transactionId\":\"d\",\"type\":\"DEPOSIT\",\"destinationAccountId\":\"b\","
                                                + "\"amount\":\"100\",\"currency\":\"JPY\"}")
                                .ledgerKey())
                .isEqualTo("b");
        MovementSubmission v =
                parse(
                        "{\"transactionId\":\"v\",\"type\":\"VOID\",\"sourceAccountId\":\"a\","
                                + "\"relatedTransactionId\":\"h\",\"amount\":\"0.00\",\"currency\":\"USD\"}");
        assertThat(v.amountMinor()).isZero();
    }

    @Test
    void equalPayloadsWrittenDifferentlyHaveOneFingerprint() {
        String a =
                "{\"transactionId\":\"t\",\"type\":\"WITHDRAWAL\",\"sourceAccountId\":\"a\",\"amount\":\"5\",\"currency\":\"EUR\",\"metadata\":{\"x\":\"1\",\"y\":\"2\"}}";
        String b =
                "{\"metadata\":{\"y\":\"2\",\"x\":\"1\"},\"currency\":\"EUR\",\"amount\":\"5.00\",\"sourceAccountId\":\"a\",\"type\":\"WITHDRAWAL\",\"transactionId\":\"t\"}";
        assertThat(parse(a).fingerprint()).isEqualTo(parse(b).fingerprint());
        assertThat(parse(a.replace("\"5\"", "\"6\"")).fingerprint())
                .isNotEqualTo(parse(a).fingerprint());
    }

    @Test
    void rejectionsNameTheFieldAndCode() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"transactionId\":\"t\",\"type\":\"HOLD\",\"sourceAccountId\":\"a\",\"destinationAccountId\":\"a\",\"amount\":\"1\",\"currency\":\"USD\"}"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> {
                            assertThat(e.problem().code().name()).isEqualTo("SAME_ACCOUNT");
                            assertThat(e.problem().field()).isEqualTo("destinationAccountId");
                        });
    }

    /**
     * The ledger sums amounts into 64-bit balances: nothing above the maximum (10^15 minor units)
     * leaves the API, in particular not a long's worth of minor units in any currency.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "92233720368547758.07, USD",
        "9223372036854775807, JPY",
        "9223372036854775.807, BHD",
        "9223372036854775808, JPY",
        "10000000000000.01, USD",
        "1000000000000001, JPY"
    })
    void amountsAboveTheMaximumAreRefused(String amount, String currency) {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"transactionId\":\"d\",\"type\":\"DEPOSIT\","
                                                + "\"destinationAccountId\":\"b\",\"amount\":\""
                                                + amount
                                                + "\",\"currency\":\""
                                                + currency
                                                + "\"}"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> {
                            assertThat(e.problem().code().name()).isEqualTo("AMOUNT_TOO_LARGE");
                            assertThat(e.problem().field()).isEqualTo("amount");
                        });
    }

    @Test
    void theMaximumItselfIsAccepted() {
        assertThat(
                        parse(
                                        "{\"transactionId\":\"d\",\"type\":\"DEPOSIT\","
                                                + "\"destinationAccountId\":\"b\",\"amount\":"
                                                + "\"10000000000000\",\"currency\":\"USD\"}")
                                .amountMinor())
                .isEqualTo(ValidationLimits.DEFAULTS.maxAmountMinor());
    }

    private static final String DEPOSIT =
            "{\"transactionId\":\"d\",\"type\":\"DEPOSIT\",\"destinationAccountId\":\"b\","
                    + "\"amount\":\"1\",\"currency\":\"USD\"";

    /** Twenty metadata entries with keys of 40 allowed characters and values of 500. */
    private static String metadataAtTheBounds() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            String key = String.format("%02d", i) + "Az_.-" + "k".repeat(33);
            json.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(key)
                    .append("\":\"")
                    .append("v".repeat(499))
                    .append("\u00e9\"");
        }
        return json.append('}').toString();
    }

    @Test
    void metadataAndTheExternalReferenceAtTheirBoundsAreKept() {
        MovementSubmission s =
                parse(
                        DEPOSIT
                                + ",\"metadata\":"
                                + metadataAtTheBounds()
                                + ",\"externalReference\":\""
                                + "INV 2026/11-\u00e9\u20ac\ud83d\ude00".repeat(8)
                                + "\"}");
        assertThat(s.metadata()).hasSize(20);
        assertThat(s.metadata().keySet()).allSatisfy(key -> assertThat(key).hasSize(40));
        assertThat(s.metadata().values()).allSatisfy(value -> assertThat(value).hasSize(500));
        assertThat(s.externalReference()).hasSize(128).startsWith("INV 2026/11-\u00e9\u20ac");
        assertThat(parse(DEPOSIT + "}").externalReference()).isNull();
        assertThat(parse(DEPOSIT + ",\"externalReference\":null}").externalReference()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "twenty-one keys|INVALID_METADATA|metadata",
                "empty key|INVALID_METADATA|metadata.",
                "41-character key|INVALID_METADATA|metadata.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
                "key with a space|INVALID_METADATA|metadata.a b",
                "key with a slash|INVALID_METADATA|metadata.a/b",
                "key with a non-ASCII letter|INVALID_METADATA|metadata.caf?",
                "501-character value|INVALID_METADATA|metadata.note",
                "value with a newline|INVALID_METADATA|metadata.note",
                "value with a tab|INVALID_METADATA|metadata.note",
                "value with DEL|INVALID_METADATA|metadata.note",
                "number value|INVALID_METADATA|metadata.note",
                "metadata array|INVALID_FIELD_TYPE|metadata",
                "empty reference|INVALID_EXTERNAL_REFERENCE|externalReference",
                "129-character reference|INVALID_EXTERNAL_REFERENCE|externalReference",
                "reference with a newline|INVALID_EXTERNAL_REFERENCE|externalReference",
                "reference with NUL|INVALID_EXTERNAL_REFERENCE|externalReference",
                "reference with a C1 control|INVALID_EXTERNAL_REFERENCE|externalReference",
                "reference with a line separator|INVALID_EXTERNAL_REFERENCE|externalReference",
                "reference with a lone surrogate|INVALID_EXTERNAL_REFERENCE|externalReference",
                "number reference|INVALID_FIELD_TYPE|externalReference"
            })
    void metadataAndExternalReferenceOutsideTheirBoundsAreRefused(
            String name, String code, String field) {
        assertThatThrownBy(() -> parse(DEPOSIT + "," + BAD_ANNOTATIONS.get(name) + "}"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> {
                            assertThat(e.problem().code().name()).isEqualTo(code);
                            assertThat(e.problem().field()).isEqualTo(field);
                        });
    }

    private static final java.util.Map<String, String> BAD_ANNOTATIONS = badAnnotations();

    private static java.util.Map<String, String> badAnnotations() {
        StringBuilder tooMany = new StringBuilder("{");
        for (int i = 0; i < 21; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        java.util.Map<String, String> bad = new java.util.HashMap<>();
        bad.put("twenty-one keys", "\"metadata\":" + tooMany + "}");
        bad.put("empty key", "\"metadata\":{\"\":\"v\"}");
        bad.put("41-character key", "\"metadata\":{\"" + "k".repeat(41) + "\":\"v\"}");
        bad.put("key with a space", "\"metadata\":{\"a b\":\"v\"}");
        bad.put("key with a slash", "\"metadata\":{\"a/b\":\"v\"}");
        bad.put("key with a non-ASCII letter", "\"metadata\":{\"caf\\u00e9\":\"v\"}");
        bad.put("501-character value", "\"metadata\":{\"note\":\"" + "v".repeat(501) + "\"}");
        bad.put("value with a newline", "\"metadata\":{\"note\":\"a\\nb\"}");
        bad.put("value with a tab", "\"metadata\":{\"note\":\"a\\tb\"}");
        bad.put("value with DEL", "\"metadata\":{\"note\":\"a\\u007fb\"}");
        bad.put("number value", "\"metadata\":{\"note\":12}");
        bad.put("metadata array", "\"metadata\":[\"a\"]");
        bad.put("empty reference", "\"externalReference\":\"\"");
        bad.put("129-character reference", "\"externalReference\":\"" + "r".repeat(129) + "\"");
        bad.put("reference with a newline", "\"externalReference\":\"INV\\n1\"");
        bad.put("reference with NUL", "\"externalReference\":\"INV\\u00001\"");
        bad.put("reference with a C1 control", "\"externalReference\":\"INV\\u00851\"");
        bad.put("reference with a line separator", "\"externalReference\":\"INV\\u20281\"");
        bad.put("reference with a lone surrogate", "\"externalReference\":\"INV\\ud83d1\"");
        bad.put("number reference", "\"externalReference\":42");
        return bad;
    }

    @Test
    void theExternalReferenceChangesTheFingerprintOnlyWhenGiven() {
        MovementSubmission without = parse(DEPOSIT + "}");
        MovementSubmission with = parse(DEPOSIT + ",\"externalReference\":\"INV-1\"}");
        MovementSubmission other = parse(DEPOSIT + ",\"externalReference\":\"INV-2\"}");
        assertThat(with.fingerprint()).isNotEqualTo(without.fingerprint());
        assertThat(with.fingerprint()).isNotEqualTo(other.fingerprint());
        // A metadata entry spelled like the reference is still a different payload.
        assertThat(
                        parse(DEPOSIT + ",\"metadata\":{\"externalReference\":\"INV-1\"}}")
                                .fingerprint())
                .isNotEqualTo(with.fingerprint());
        assertThat(without.fingerprint())
                .isEqualTo(
                        new MovementSubmission(
                                        "d",
                                        MovementType.DEPOSIT,
                                        null,
                                        "b",
                                        null,
                                        100,
                                        "USD",
                                        null,
                                        java.util.Map.of())
                                .fingerprint());
    }
}
