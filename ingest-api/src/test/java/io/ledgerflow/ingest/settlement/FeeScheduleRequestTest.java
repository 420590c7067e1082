package io.ledgerflow.ingest.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.readmodel.settlement.FeeRule;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FeeScheduleRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void amountsAreReadInTheCurrencysMinorUnits() throws Exception {
        FeeScheduleRequest.Schedule s =
                FeeScheduleRequest.schedule(
                        json(
                                "{\"effectiveFrom\":\"2027-01-01T00:00:00Z\",\"rules\":["
                                        + "{\"movementType\":\"CAPTURE\",\"currency\":\"USD\","
                                        + "\"percentBasisPoints\":290,\"fixed\":\"0.30\","
                                        + "\"minimum\":\"0.50\",\"maximum\":\"25.00\"},"
                                        + "{\"movementType\":\"REFUND\",\"currency\":\"JPY\","
                                        + "\"percentBasisPoints\":0,\"fixed\":\"15\"}]}"));
        assertThat(s.effectiveFrom()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(s.rules())
                .containsExactly(
                        new FeeRule("CAPTURE", "USD", 290, 30, 50L, 2500L),
                        new FeeRule("REFUND", "JPY", 0, 15, null, null));
    }

    @Test
    void everyRefusalNamesItsField() {
        assertRefused(
                "{\"effectiveFrom\":\"tomorrow\",\"rules\":[]}",
                ErrorCode.INVALID_TIMESTAMP,
                "effectiveFrom");
        assertRefused(
                "{\"effectiveFrom\":\"2027-01-01T00:00:00Z\"}", ErrorCode.MISSING_FIELD, "rules");
        assertRefused(
                rule(
                        "\"movementType\":\"HOLD\",\"currency\":\"USD\",\"percentBasisPoints\":1,\"fixed\":\"0\""),
                ErrorCode.INVALID_MOVEMENT_TYPE,
                "rules[0].movementType");
        assertRefused(
                rule(
                        "\"movementType\":\"CAPTURE\",\"currency\":\"XYZ\",\"percentBasisPoints\":1,\"fixed\":\"0\""),
                ErrorCode.UNKNOWN_CURRENCY,
                "rules[0].currency");
        assertRefused(
                rule(
                        "\"movementType\":\"CAPTURE\",\"currency\":\"USD\",\"percentBasisPoints\":10001,\"fixed\":\"0\""),
                ErrorCode.INVALID_FIELD_TYPE,
                "rules[0].percentBasisPoints");
        assertRefused(
                rule(
                        "\"movementType\":\"CAPTURE\",\"currency\":\"JPY\",\"percentBasisPoints\":1,\"fixed\":\"0.5\""),
                ErrorCode.INVALID_AMOUNT,
                "rules[0].fixed");
        assertRefused(
                "{\"effectiveFrom\":\"2027-01-01T00:00:00Z\",\"rules\":["
                        + "{\"movementType\":\"CAPTURE\",\"currency\":\"USD\",\"percentBasisPoints\":1,\"fixed\":\"0\"},"
                        + "{\"movementType\":\"CAPTURE\",\"currency\":\"USD\",\"percentBasisPoints\":2,\"fixed\":\"0\"}]}",
                ErrorCode.INVALID_BODY,
                "rules[1]");
        assertRefused(
                rule("\"currency\":\"USD\",\"percentBasisPoints\":1,\"fixed\":\"0\""),
                ErrorCode.MISSING_FIELD,
                "rules[0].movementType");
        assertRefused(
                "{\"effectiveFrom\":\"2027-01-01T00:00:00Z\",\"rules\":[],\"extra\":1}",
                ErrorCode.UNKNOWN_FIELD,
                "extra");
    }

    @Test
    void settingsDefaultToADailyPeriod() throws Exception {
        assertThat(
                        FeeScheduleRequest.settings(
                                json("{\"cutoffTime\":\"17:30\",\"timeZone\":\"Europe/Berlin\"}")))
                .isEqualTo(
                        new SettlementCalendar(
                                LocalTime.of(17, 30), ZoneId.of("Europe/Berlin"), 24));
        assertThatThrownBy(
                        () ->
                                FeeScheduleRequest.settings(
                                        json("{\"cutoffTime\":\"25:00\",\"timeZone\":\"UTC\"}")))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.problem().field()).isEqualTo("cutoffTime"));
    }

    private static String rule(String fields) {
        return "{\"effectiveFrom\":\"2027-01-01T00:00:00Z\",\"rules\":[{" + fields + "}]}";
    }

    private static void assertRefused(String body, ErrorCode code, String field) {
        assertThatThrownBy(() -> FeeScheduleRequest.schedule(json(body)))
                .as(body)
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> {
                            assertThat(e.problem().code()).isEqualTo(code);
                            assertThat(e.problem().field()).isEqualTo(field);
                        });
    }
}
