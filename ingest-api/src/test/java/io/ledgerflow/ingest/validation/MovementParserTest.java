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
}
