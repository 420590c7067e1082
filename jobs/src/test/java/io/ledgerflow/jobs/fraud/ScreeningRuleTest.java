package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.avro.FraudMode.ALERT;
import static io.ledgerflow.avro.FraudRuleType.AMOUNT_SPIKE;
import static io.ledgerflow.avro.FraudRuleType.DORMANT_REACTIVATION;
import static io.ledgerflow.avro.FraudRuleType.FAN_OUT;
import static io.ledgerflow.avro.FraudRuleType.OTHER;
import static io.ledgerflow.avro.FraudRuleType.RAPID_IN_OUT;
import static io.ledgerflow.avro.FraudRuleType.STRUCTURING;
import static io.ledgerflow.avro.FraudRuleType.VELOCITY;
import static io.ledgerflow.jobs.fraud.FraudScreenHarness.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.FraudRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each rule type parsed into its own type with only its thresholds, defaults filled in. */
class ScreeningRuleTest {

    private static ScreeningRule parse(FraudRule rule) throws InvalidFraudRuleException {
        return ScreeningRule.parse(rule, FraudScreenSettings.defaults());
    }

    @Test
    void eachRuleTypeBecomesItsOwnTypeWithDefaults() throws Exception {
        FraudRule velocity = rule("v", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "3");
        assertThat(parse(velocity))
                .isEqualTo(new VelocityRule(velocity, null, Duration.ofMinutes(10), 3L, null));

        FraudRule spike = rule("s", AMOUNT_SPIKE, ALERT, 1, "multiplier", "4", "currency", "EUR");
        assertThat(parse(spike)).isEqualTo(new AmountSpikeRule(spike, "EUR", 4, 5, 1));

        FraudRule fanOut =
                rule("f", FAN_OUT, ALERT, 1, "window", "1h", "maxNewCounterparties", "5");
        assertThat(parse(fanOut)).isEqualTo(new FanOutRule(fanOut, null, Duration.ofHours(1), 5));

        FraudRule structuring =
                rule(
                        "st",
                        STRUCTURING,
                        ALERT,
                        1,
                        "window",
                        "24h",
                        "thresholdMinor",
                        "1000000",
                        "minCount",
                        "3");
        assertThat(parse(structuring))
                .isEqualTo(
                        new StructuringRule(
                                structuring, null, Duration.ofHours(24), 1_000_000, 10, 3));

        FraudRule rapid =
                rule("r", RAPID_IN_OUT, ALERT, 1, "window", "30m", "minAmountMinor", "50000");
        assertThat(parse(rapid))
                .isEqualTo(new RapidInOutRule(rapid, null, Duration.ofMinutes(30), 50_000, 80));

        FraudRule dormant = rule("d", DORMANT_REACTIVATION, ALERT, 1, "dormantFor", "90d");
        assertThat(parse(dormant))
                .isEqualTo(new DormantReactivationRule(dormant, null, Duration.ofDays(90), 1));
    }

    @Test
    void refusalsKeepTheirOrderAndWording() throws Exception {
        // A misspelt key is reported before the window it makes too long.
        assertThatThrownBy(
                        () ->
                                parse(
                                        rule(
                                                "v",
                                                VELOCITY,
                                                ALERT,
                                                1,
                                                "window",
                                                "2d",
                                                "maxCuont",
                                                "3",
                                                "maxCount",
                                                "3")))
                .hasMessageStartingWith("unknown thresholds [maxCuont]");
        assertThatThrownBy(
                        () ->
                                parse(
                                        rule(
                                                "f",
                                                FAN_OUT,
                                                ALERT,
                                                1,
                                                "window",
                                                "2d",
                                                "maxNewCounterparties",
                                                "3")))
                .hasMessage(
                        "window 2d is longer than the screen remembers movements"
                                + " (--fraud-activity-retention 1d)");
        assertThatThrownBy(
                        () ->
                                parse(
                                        rule(
                                                "d",
                                                DORMANT_REACTIVATION,
                                                ALERT,
                                                1,
                                                "dormantFor",
                                                "400d")))
                .hasMessage(
                        "dormantFor PT9600H must be shorter than the screen's profile retention"
                                + " PT9600H");
        // The screen keeps at most 500 movements per account: a count of 500 is never exceeded.
        assertThatThrownBy(
                        () ->
                                parse(
                                        rule(
                                                "v",
                                                VELOCITY,
                                                ALERT,
                                                1,
                                                "window",
                                                "1h",
                                                "maxCount",
                                                "500")))
                .hasMessage(
                        "maxCount 500 could never be exceeded: the screen keeps at most 500"
                                + " movements per account");
        assertThat(parse(rule("v", VELOCITY, ALERT, 1, "window", "1h", "maxCount", "499")))
                .isInstanceOf(VelocityRule.class);
        assertThatThrownBy(() -> parse(rule("v", VELOCITY, ALERT, 1, "currency", "eur")))
                .hasMessage("currency must be an ISO 4217 code: eur");
        assertThatThrownBy(() -> parse(rule("o", OTHER, ALERT, 1)))
                .hasMessage("unknown rule type OTHER (a newer producer?)");
    }
}
