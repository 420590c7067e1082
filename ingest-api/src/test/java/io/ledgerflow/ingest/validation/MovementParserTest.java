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
}
