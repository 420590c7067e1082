package io.ledgerflow.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.FraudRuleType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules file format and its checks, without Kafka. */
class FraudRulesCommandTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void theStarterSetCoversEveryRuleTypeAndIsValid() {
        List<FraudRule> rules =
                FraudRulesCommand.read(
                        FraudRulesCommand.class.getResourceAsStream(
                                FraudRulesCommand.DEFAULT_RULES),
                        "ops",
                        NOW);

        assertThat(rules)
                .extracting(FraudRule::getRuleType)
                .containsAll(
                        List.of(FraudRuleType.values()).subList(1, FraudRuleType.values().length));
        assertThat(rules)
                .allSatisfy(
                        r -> {
                            assertThat(r.getChangedBy()).isEqualTo("ops");
                            assertThat(r.getChangedAt()).isEqualTo(NOW);
                            assertThat(r.getVersion()).isEqualTo(1);
                            assertThat(r.getDescription()).isNotBlank();
                        });
    }

    @Test
    void aRuleTheJobWouldRefuseFailsHere() {
        String json =
                """
                {"rules": [{"ruleId": "v", "ruleType": "VELOCITY", "version": 1,
                            "thresholds": {"window": "10m", "maxCuont": 5}}]}
                """;
        assertThatThrownBy(() -> read(json, FraudScreenSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rule v would be refused")
                .hasMessageContaining("maxCount, maxValueMinor or both");
    }

    @Test
    void rulesAreCheckedAgainstTheScreenSettingsTheJobRunsWith() {
        String json =
                """
                {"rules": [{"ruleId": "v", "ruleType": "VELOCITY", "version": 1,
                            "thresholds": {"window": "12h", "maxCount": 5}}]}
                """;
        assertThat(read(json, FraudScreenSettings.defaults())).hasSize(1);
        FraudScreenSettings shortMemory =
                new FraudScreenSettings(Duration.ofHours(1), 500, Duration.ofDays(400));
        assertThatThrownBy(() -> read(json, shortMemory))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rule v would be refused")
                .hasMessageContaining("(--fraud-activity-retention 1h)");
    }

    private static List<FraudRule> read(String json, FraudScreenSettings screen) {
        return FraudRulesCommand.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                "ops",
                NOW,
                screen);
    }
}
