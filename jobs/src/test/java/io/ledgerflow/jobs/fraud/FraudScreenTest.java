package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.avro.FraudMode.ALERT;
import static io.ledgerflow.avro.FraudMode.BLOCK;
import static io.ledgerflow.avro.FraudRuleType.AMOUNT_SPIKE;
import static io.ledgerflow.avro.FraudRuleType.DORMANT_REACTIVATION;
import static io.ledgerflow.avro.FraudRuleType.FAN_OUT;
import static io.ledgerflow.avro.FraudRuleType.RAPID_IN_OUT;
import static io.ledgerflow.avro.FraudRuleType.STRUCTURING;
import static io.ledgerflow.avro.FraudRuleType.VELOCITY;
import static io.ledgerflow.jobs.fraud.FraudScreenHarness.T0;
import static io.ledgerflow.jobs.fraud.FraudScreenHarness.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each fraud rule beside look-alike legitimate traffic, BLOCK semantics, rule changes through the
 * broadcast input, and state cleanup, through Flink's keyed broadcast operator harness.
 */
class FraudScreenTest {

    private FraudScreenHarness screen;

    @BeforeEach
    void setUp() throws Exception {
        screen = new FraudScreenHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        screen.close();
    }

    private static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    private static Duration min(long n) {
        return Duration.ofMinutes(n);
    }

    private static List<String> ids(MoneyMovement... movements) {
        List<String> ids = new ArrayList<>();
        for (MoneyMovement m : movements) {
            ids.add(m.getTransactionId());
        }
        return ids;
    }

    @Test
    void withoutRulesEveryRequestPassesAndInflowCopiesStayInside() throws Exception {
        screen.open("alice", T0);
        MoneyMovement d = screen.deposit("alice", 10_000, T0);
        MoneyMovement t = screen.transfer("alice", "bob", 5_000, T0);
        MoneyMovement w = screen.withdraw("alice", 100, T0);
        MoneyMovement c = screen.move(MovementType.CAPTURE, "alice", null, 100, T0);

        assertThat(screen.forwarded()).hasSize(5); // the OPEN and four movements, once each
        assertThat(screen.forwardedIds()).containsExactlyElementsOf(ids(d, t, w, c));
        assertThat(screen.alerts()).isEmpty();
        assertThat(screen.blocked()).isEmpty();
    }

    @Test
    void aBusyAccountsRulesSeeItsLastMaxActivitiesWhileTheListIsAppendedTo() throws Exception {
        screen.open("alice", T0);
        screen.deposit("alice", 1_000_000, T0);
        screen.publish(
                rule("velocity-count", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "40"));
        for (int i = 0; i < 200; i++) {
            screen.withdraw("alice", 1, at(Duration.ofSeconds(i)));
        }
        // The harness keeps 50 movements per account: the window never counts more than those
        // and the one being screened.
        List<FraudAlert> alerts = screen.alertsFor("alice");
        assertThat(alerts).hasSize(200 - 40);
        assertThat(alerts.get(alerts.size() - 1).getExplanation())
                .startsWith("51 outgoing movements within 10 minutes");
        assertThat(alerts.get(alerts.size() - 1).getTriggeringTransactionIds())
                .hasSize(FraudScreen.MAX_TRIGGERING_IDS);
    }

    @Test
    void anAlertNamesAtMostTheLatestTriggeringIdsAndAlwaysItsOwn() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add("t" + i);
        }
        assertThat(FraudScreen.triggering(ids, "t149"))
                .hasSize(25)
                .startsWith("t125")
                .endsWith("t149");
        assertThat(FraudScreen.triggering(ids, "t3")).hasSize(25).startsWith("t3", "t126");
        assertThat(FraudScreen.triggering(ids.subList(0, 10), "t3")).hasSize(10);
    }

    @Test
    void recentMovementsAreKeptOnlyWhileAWindowedRuleIsInForce() throws Exception {
        screen.open("alice", T0);
        screen.deposit("alice", 10_000, T0);
        for (int i = 0; i < 5; i++) {
            screen.withdraw("alice", 100, at(min(i)));
        }
        // Published after the burst: its window starts empty, as the history was not kept.
        screen.publish(
                rule("velocity-count", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "3"));
        screen.withdraw("alice", 100, at(min(5)));
        assertThat(screen.alerts()).isEmpty();

        // From now on they are kept: the burst continues and trips the rule.
        for (int i = 6; i < 9; i++) {
            screen.withdraw("alice", 100, at(min(i)));
        }
        assertThat(screen.alerts()).hasSize(1);
    }

    @Test
    void velocityByCountAlertsOnABurstButNotOnTheSamePaymentsSpreadOut() throws Exception {
        screen.publish(
                rule("velocity-count", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "3"));
        List<MoneyMovement> burst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            burst.add(screen.transfer("mallory", "p" + i, 1_000, at(min(i))));
            screen.transfer("alice", "p" + i, 1_000, at(min(5L * i))); // 4 in 15 minutes
        }

        assertThat(screen.alertsFor("alice")).isEmpty();
        FraudAlert alert = single(screen.alertsFor("mallory"));
        assertThat(alert.getRuleId()).isEqualTo("velocity-count");
        assertThat(alert.getTransactionId()).isEqualTo(burst.get(3).getTransactionId());
        assertThat(alert.getTriggeringTransactionIds())
                .containsExactlyElementsOf(ids(burst.toArray(MoneyMovement[]::new)));
        assertThat(alert.getExplanation())
                .isEqualTo(
                        "4 outgoing movements within 10 minutes; the limit is 3. The movement went ahead.");
        assertThat(alert.getScore()).isEqualTo(0.667);
        assertThat(alert.getBlocked()).isFalse();
        assertThat(screen.forwardedIds()).hasSize(8); // ALERT mode: everything proceeds
    }

    @Test
    void velocityByValueAlertsAboveTheLimitOnly() throws Exception {
        screen.publish(
                rule(
                        "velocity-value",
                        VELOCITY,
                        ALERT,
                        1,
                        "window",
                        "1h",
                        "maxValueMinor",
                        "100000"));
        for (int i = 0; i < 3; i++) {
            screen.withdraw("mallory", 40_000, at(min(10L * i)));
            screen.withdraw("alice", 30_000, at(min(10L * i)));
        }

        assertThat(screen.alertsFor("alice")).isEmpty();
        assertThat(single(screen.alertsFor("mallory")).getExplanation())
                .startsWith(
                        "1200.00 EUR sent in 3 movements within 60 minutes; the limit is"
                                + " 1000.00.");
    }

    @Test
    void sumsOfTheLargestAmountsDoNotWrapUnderTheLimits() throws Exception {
        screen.publish(
                rule(
                        "velocity-value",
                        VELOCITY,
                        ALERT,
                        1,
                        "window",
                        "1h",
                        "maxValueMinor",
                        "100000"));
        screen.publish(
                rule(
                        "rapid",
                        RAPID_IN_OUT,
                        ALERT,
                        1,
                        "window",
                        "10m",
                        "minAmountMinor",
                        "100000",
                        "ratioPercent",
                        "80"));
        // Two outflows of Long.MAX_VALUE: a wrapping sum would be -2 and pass the value limit;
        // 'out * 100' would wrap too and hide the money sent straight on.
        screen.transfer("source", "mule", Long.MAX_VALUE, at(min(0)));
        screen.transfer("mule", "abroad", Long.MAX_VALUE, at(min(1)));
        screen.transfer("mule", "abroad", Long.MAX_VALUE, at(min(2)));

        assertThat(screen.alertsFor("mule"))
                .extracting(FraudAlert::getRuleId)
                .contains("velocity-value", "rapid");
    }

    @Test
    void amountSpikeAgainstTheRunningAverage() throws Exception {
        screen.publish(
                rule("spike", AMOUNT_SPIKE, ALERT, 1, "multiplier", "10", "minHistory", "5"));
        for (int i = 0; i < 5; i++) {
            screen.transfer("mallory", "shop", 2_000, at(Duration.ofDays(-10 + i)));
            screen.transfer("alice", "shop", 2_000, at(Duration.ofDays(-10 + i)));
        }
        screen.transfer("newbie", "shop", 2_000, at(Duration.ofDays(-1)));
        MoneyMovement spike = screen.transfer("mallory", "far-away", 50_000, T0);
        screen.transfer("alice", "car-dealer", 15_000, T0); // 7.5 times: a big but usual buy
        screen.transfer("newbie", "far-away", 50_000, T0); // too little history to judge

        assertThat(screen.alertsFor("alice")).isEmpty();
        assertThat(screen.alertsFor("newbie")).isEmpty();
        FraudAlert alert = single(screen.alertsFor("mallory"));
        assertThat(alert.getTriggeringTransactionIds()).containsExactly(spike.getTransactionId());
        assertThat(alert.getExplanation())
                .startsWith(
                        "500.00 EUR is 25.0 times the account's average outgoing amount of"
                                + " 20.00 over its last 5 movements; the limit is 10.0 times.");
        assertThat(alert.getScore()).isEqualTo(1.0);
    }

    @Test
    void fanOutToManyNewCounterpartiesButNotToKnownOnes() throws Exception {
        screen.publish(
                rule("fan-out", FAN_OUT, ALERT, 1, "window", "1h", "maxNewCounterparties", "3"));
        // alice pays her regular payees, met one a day long ago, and one new one.
        List<String> regular = List.of("rent", "gym", "grocer", "phone");
        for (int i = 0; i < regular.size(); i++) {
            screen.transfer("alice", regular.get(i), 1_000, at(Duration.ofDays(-10 + i)));
        }
        List<MoneyMovement> fan = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fan.add(screen.transfer("mallory", "mule-" + i, 1_000, at(min(5L * i))));
            screen.transfer("alice", regular.get(i), 1_000, at(min(5L * i)));
        }
        screen.transfer("alice", "new-florist", 1_000, at(min(30)));
        screen.transfer("mallory", "mule-0", 1_000, at(min(31))); // again: no new payee

        assertThat(screen.alertsFor("alice")).isEmpty();
        FraudAlert alert = single(screen.alertsFor("mallory"));
        assertThat(alert.getTriggeringTransactionIds())
                .containsExactlyElementsOf(ids(fan.toArray(MoneyMovement[]::new)));
        assertThat(alert.getExplanation())
                .startsWith(
                        "Paid 4 counterparties it had never paid before within 60 minutes;"
                                + " the limit is 3.");
    }

    @Test
    void structuringJustUnderTheReportingThresholdInBothDirections() throws Exception {
        screen.publish(
                rule(
                        "structuring",
                        STRUCTURING,
                        ALERT,
                        1,
                        "window",
                        "24h",
                        "thresholdMinor",
                        "1000000",
                        "marginPercent",
                        "10",
                        "minCount",
                        "3"));
        MoneyMovement w1 = screen.withdraw("mallory", 980_000, at(min(0)));
        MoneyMovement w2 = screen.withdraw("mallory", 950_000, at(Duration.ofHours(3)));
        MoneyMovement w3 = screen.withdraw("mallory", 999_999, at(Duration.ofHours(7)));
        // Look-alike: large amounts, but one above the threshold and one well under it.
        screen.withdraw("alice", 980_000, at(min(0)));
        screen.withdraw("alice", 500_000, at(Duration.ofHours(3)));
        screen.withdraw("alice", 1_200_000, at(Duration.ofHours(7)));
        // Cash brought in the same way.
        screen.deposit("trudy", 970_000, at(min(0)));
        screen.deposit("trudy", 960_000, at(min(20)));
        MoneyMovement d3 = screen.deposit("trudy", 990_000, at(min(40)));
        // Three near-threshold amounts, but over three days.
        for (int day = 0; day < 3; day++) {
            screen.withdraw("bob", 990_000, at(Duration.ofDays(day).plusHours(1)));
        }

        assertThat(screen.alertsFor("alice")).isEmpty();
        assertThat(screen.alertsFor("bob")).isEmpty();
        assertThat(single(screen.alertsFor("mallory")).getTriggeringTransactionIds())
                .containsExactlyElementsOf(ids(w1, w2, w3));
        FraudAlert deposits = single(screen.alertsFor("trudy"));
        assertThat(deposits.getTransactionId()).isEqualTo(d3.getTransactionId());
        assertThat(deposits.getExplanation()).startsWith("3 deposits within 24 hours");
    }

    @Test
    void rapidInAndOutNeedsMostOfTheMoneySentOnWithinTheWindow() throws Exception {
        screen.publish(
                rule(
                        "rapid",
                        RAPID_IN_OUT,
                        ALERT,
                        1,
                        "window",
                        "10m",
                        "minAmountMinor",
                        "100000",
                        "ratioPercent",
                        "80"));
        MoneyMovement in = screen.transfer("victim", "mule", 200_000, at(min(0)));
        MoneyMovement out = screen.transfer("mule", "abroad", 190_000, at(min(2)));
        // Salary then rent two hours later; and a small payment right after being paid.
        screen.transfer("employer", "alice", 200_000, at(min(0)));
        screen.transfer("alice", "landlord", 190_000, at(Duration.ofHours(2)));
        screen.transfer("employer", "bob", 200_000, at(min(0)));
        screen.transfer("bob", "cafe", 2_000, at(min(3)));

        assertThat(screen.alertsFor("alice")).isEmpty();
        assertThat(screen.alertsFor("bob")).isEmpty();
        assertThat(screen.alertsFor("victim")).isEmpty();
        FraudAlert alert = single(screen.alertsFor("mule"));
        assertThat(alert.getTriggeringTransactionIds()).containsExactlyElementsOf(ids(in, out));
        assertThat(alert.getExplanation())
                .startsWith(
                        "Received 2000.00 EUR and sent 1900.00 on within 10 minutes (95% of"
                                + " it; the limit is 80%).");
    }

    @Test
    void dormantAccountSuddenlyActiveButNotAnAccountInRegularUse() throws Exception {
        screen.publish(
                rule(
                        "dormant",
                        DORMANT_REACTIVATION,
                        ALERT,
                        1,
                        "dormantFor",
                        "90d",
                        "minAmountMinor",
                        "10000"));
        screen.open("sleeper", at(Duration.ofDays(-200)));
        screen.open("alice", at(Duration.ofDays(-200)));
        screen.open("robbed", at(Duration.ofDays(-300)));
        screen.withdraw("alice", 20_000, at(Duration.ofDays(-130)));
        screen.withdraw("alice", 20_000, at(Duration.ofDays(-60)));
        // Money arriving does not wake an account: its holder sending it on does.
        screen.transfer("fraudster", "robbed", 500_000, at(Duration.ofDays(-1)));

        MoneyMovement wake = screen.withdraw("sleeper", 50_000, T0);
        screen.withdraw("alice", 50_000, T0);
        screen.withdraw("unknown-history", 50_000, T0);
        screen.transfer("robbed", "abroad", 500_000, T0);

        assertThat(screen.alertsFor("alice")).isEmpty();
        assertThat(screen.alertsFor("unknown-history")).isEmpty();
        assertThat(screen.alertsFor("robbed")).hasSize(1);
        FraudAlert alert = single(screen.alertsFor("sleeper"));
        assertThat(alert.getTriggeringTransactionIds()).containsExactly(wake.getTransactionId());
        assertThat(alert.getExplanation())
                .startsWith(
                        "First movement of 500.00 EUR after 200 days without activity;"
                                + " dormant means 90 days.");
        // Once awake, the next movement is ordinary.
        screen.withdraw("sleeper", 50_000, at(min(1)));
        assertThat(screen.alertsFor("sleeper")).hasSize(1);
    }

    @Test
    void windowedPatternsAreFoundWhateverTheArrivalOrder() throws Exception {
        // The idempotency gate re-partitions by id: an account's requests can arrive shuffled.
        screen.publish(rule("velocity", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "3"));
        screen.publish(
                rule("fan-out", FAN_OUT, ALERT, 1, "window", "1h", "maxNewCounterparties", "3"));
        List<MoneyMovement> burst = new ArrayList<>();
        for (int i = 3; i >= 0; i--) {
            burst.add(0, screen.transfer("mallory", "mule-" + i, 1_000, at(min(i))));
        }
        for (int i = 3; i >= 0; i--) {
            screen.transfer("alice", "shop", 1_000, at(min(5L * i))); // 4 in 15 minutes
        }

        assertThat(screen.alertsFor("alice")).isEmpty();
        assertThat(screen.alertsFor("mallory"))
                .extracting(FraudAlert::getRuleId)
                .containsExactlyInAnyOrder("velocity", "fan-out");
        assertThat(screen.alertsFor("mallory"))
                .allSatisfy(
                        a ->
                                assertThat(a.getTriggeringTransactionIds())
                                        .containsExactlyElementsOf(
                                                ids(burst.toArray(MoneyMovement[]::new))));
    }

    @Test
    void blockRejectsTheMovementBeforeTheLedgerAndAlerts() throws Exception {
        screen.publish(rule("velocity", VELOCITY, BLOCK, 1, "window", "10m", "maxCount", "2"));
        screen.transfer("mallory", "a", 1_000, at(min(0)));
        screen.transfer("mallory", "b", 1_000, at(min(1)));
        MoneyMovement third = screen.transfer("mallory", "c", 1_000, at(min(2)));

        assertThat(screen.forwardedIds()).doesNotContain(third.getTransactionId()).hasSize(2);
        TransactionResult result = single(screen.blocked());
        assertThat(result.getTransactionId()).isEqualTo(third.getTransactionId());
        assertThat(result.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo(ReasonCode.FRAUD_SUSPECTED);
        assertThat(result.getReasonDetail())
                .startsWith(
                        "Blocked by fraud rule velocity: 3 outgoing movements within 10"
                                + " minutes");
        assertThat(result.getAmountMinor()).isEqualTo(1_000);
        FraudAlert alert = single(screen.alerts());
        assertThat(alert.getBlocked()).isTrue();
        assertThat(alert.getMode()).isEqualTo(BLOCK);

        // The blocked attempt did not count as money sent: the next one, a minute after the
        // window of the first, passes.
        MoneyMovement later = screen.transfer("mallory", "d", 1_000, at(min(11)));
        assertThat(screen.forwardedIds()).contains(later.getTransactionId());
        assertThat(screen.blocked()).hasSize(1);
    }

    @Test
    void anAlertRuleMatchingABlockedMovementSaysSo() throws Exception {
        screen.publish(rule("velocity", VELOCITY, BLOCK, 1, "window", "10m", "maxCount", "2"));
        screen.publish(rule("value", VELOCITY, ALERT, 1, "window", "10m", "maxValueMinor", "2500"));
        burst("mallory");

        assertThat(screen.alerts())
                .extracting(FraudAlert::getRuleId, FraudAlert::getBlocked)
                .containsExactly(tuple("value", false), tuple("velocity", true));
        assertThat(screen.alerts().get(0).getExplanation())
                .endsWith("The movement was blocked by another rule.");
        assertThat(single(screen.blocked()).getReasonDetail())
                .startsWith("Blocked by fraud rule velocity:")
                .doesNotContain("value:");
    }

    @Test
    void rulesAndProfilesSurviveARestore() throws Exception {
        screen.publish(rule("velocity", VELOCITY, BLOCK, 1, "window", "10m", "maxCount", "2"));
        screen.transfer("mallory", "a", 1_000, at(min(0)));
        screen.transfer("mallory", "b", 1_000, at(min(1)));
        var snapshot = screen.harness.snapshot(1, 1);
        screen.close();

        screen = FraudScreenHarness.restoredFrom(snapshot);
        MoneyMovement third = screen.transfer("mallory", "c", 1_000, at(min(2)));

        assertThat(single(screen.blocked()).getTransactionId()).isEqualTo(third.getTransactionId());
    }

    @Test
    void rulesAreAddedChangedAndDisabledWithoutARestart() throws Exception {
        FraudRule v1 = rule("velocity", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "2");
        screen.publish(v1);
        burst("m1");
        assertThat(screen.alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.getRuleVersion()).isEqualTo(1);
                            assertThat(a.getBlocked()).isFalse();
                        });

        // v2: BLOCK, stricter.
        screen.publish(rule("velocity", VELOCITY, BLOCK, 2, "window", "10m", "maxCount", "1"));
        burst("m2");
        assertThat(screen.alertsFor("m2"))
                .hasSize(2)
                .allSatisfy(
                        a -> {
                            assertThat(a.getRuleVersion()).isEqualTo(2);
                            assertThat(a.getBlocked()).isTrue();
                        });
        assertThat(screen.blocked()).hasSize(2);

        // A stale version is refused and v2 stays in force; the same version again is a no-op.
        screen.publish(rule("velocity", VELOCITY, ALERT, 1, "window", "1h", "maxCount", "9"));
        screen.publish(rule("velocity", VELOCITY, BLOCK, 2, "window", "10m", "maxCount", "1"));
        assertThat(screen.refused())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getReason()).isEqualTo(FraudScreen.STALE_RULE);
                            assertThat(d.getDetail())
                                    .contains("version 1 is not newer than version 2");
                        });

        // v3: disabled.
        FraudRule v3 = rule("velocity", VELOCITY, BLOCK, 3, "window", "10m", "maxCount", "1");
        v3.setEnabled(false);
        screen.publish(v3);
        burst("m3");
        assertThat(screen.alertsFor("m3")).isEmpty();
        assertThat(screen.blocked()).hasSize(2);
    }

    private void burst(String account) throws Exception {
        for (int i = 0; i < 3; i++) {
            screen.transfer(account, "payee-" + i, 1_000, at(min(i)));
        }
    }

    @Test
    void invalidRulesGoToTheDeadLettersAndThePreviousVersionStays() throws Exception {
        screen.publish(rule("velocity", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "2"));
        screen.publish(
                rule(
                        "velocity",
                        VELOCITY,
                        ALERT,
                        2,
                        "window",
                        "10m",
                        "maxCount",
                        "2",
                        "maxValue",
                        "9"));
        screen.publish(rule("spike", AMOUNT_SPIKE, ALERT, 1, "multiplier", "0.5"));
        screen.publish(
                rule("wide", FAN_OUT, ALERT, 1, "window", "30d", "maxNewCounterparties", "3"));
        screen.publish(rule("bad id!", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "2"));

        assertThat(screen.refused())
                .extracting(DeadLetter::getReason)
                .containsOnly(FraudScreen.INVALID_RULE);
        assertThat(screen.refused())
                .extracting(DeadLetter::getDetail)
                .satisfiesExactly(
                        d -> assertThat(d).contains("unknown thresholds [maxValue]"),
                        d -> assertThat(d).contains("multiplier must be above 1"),
                        d -> assertThat(d).contains("longer than the screen remembers"),
                        d -> assertThat(d).contains("ruleId must match"));
        burst("m1");
        assertThat(single(screen.alerts()).getRuleVersion()).isEqualTo(1);
    }

    @Test
    void alertIdsAreTheSameOnReplay() throws Exception {
        MoneyMovement m = screen.withdraw("alice", 1, T0);
        assertThat(FraudScreen.alertId("velocity", m))
                .isEqualTo(FraudScreen.alertId("velocity", MoneyMovement.newBuilder(m).build()))
                .isNotEqualTo(FraudScreen.alertId("spike", m));
    }

    @Test
    void aQuietAccountsRecentMovementsAreClearedAndItsProfileExpires() throws Exception {
        screen.publish(rule("velocity", VELOCITY, ALERT, 1, "window", "10m", "maxCount", "2"));
        screen.publish(rule("dormant", DORMANT_REACTIVATION, ALERT, 1, "dormantFor", "90d"));
        screen.open("alice", at(Duration.ofDays(-200)));
        screen.withdraw("alice", 100, at(min(0)));
        screen.withdraw("alice", 100, at(min(1)));
        assertThat(screen.alerts()).hasSize(1); // the dormant account woke up
        assertThat(screen.harness.numProcessingTimeTimers()).isEqualTo(1); // one per account

        // A day of processing time later, the account's recent movements are gone...
        long dayLater = 1_000_000L + Duration.ofDays(1).toMillis();
        screen.advanceProcessingTime(dayLater);
        assertThat(screen.harness.numProcessingTimeTimers()).isZero();
        screen.withdraw("alice", 100, at(min(2)));
        assertThat(screen.alerts()).hasSize(1); // without them, no velocity match at the third

        // ...and after the profile retention, with no activity, the profile too: dormancy can no
        // longer be judged, so the account is not reported as waking up.
        screen.harness.setStateTtlProcessingTime(
                dayLater + FraudScreenHarness.SETTINGS.profileRetention().toMillis() + 1);
        screen.withdraw("alice", 100, at(Duration.ofDays(200)));
        assertThat(screen.alerts()).hasSize(1);
    }

    @Test
    void stateTypesAreFlinkPojosWithoutKryo() {
        // The edges' envelopes have hand-written serializers (CompactSerializersTest); these two
        // are keyed state, where Flink's POJO serializer lets fields be added across savepoints.
        for (Class<?> type : List.of(AccountActivity.class, AccountProfile.class)) {
            assertThat(TypeInformation.of(type))
                    .as(type.getSimpleName())
                    .isInstanceOf(PojoTypeInfo.class);
        }
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
