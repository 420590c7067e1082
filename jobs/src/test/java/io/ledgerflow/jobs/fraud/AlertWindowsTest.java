package io.ledgerflow.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudMode;
import io.ledgerflow.avro.FraudRuleType;
import io.ledgerflow.avro.FraudSeverity;
import io.ledgerflow.avro.MovementType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Alert windows: the rules ({@link AlertWindow}) as plain functions, and {@link FraudAlertWindows}
 * in Flink's keyed operator harness, where processing time is the test's to move.
 */
class AlertWindowsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final AlertWindowSettings SETTINGS =
            new AlertWindowSettings(
                    Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofSeconds(5), 3);

    private static FraudAlert match(String rule, String tx, Instant eventTime, long detectedAt) {
        return FraudAlert.newBuilder()
                .setAlertId("per-match-" + tx)
                .setRuleId(rule)
                .setRuleVersion(1)
                .setRuleType(FraudRuleType.VELOCITY)
                .setMode(FraudMode.ALERT)
                .setSeverity(FraudSeverity.HIGH)
                .setScore(tx.hashCode() % 2 == 0 ? 0.6 : 0.9)
                .setPartnerId("partner-1")
                .setAccountId("acc-1")
                .setTransactionId(tx)
                .setMovementType(MovementType.TRANSFER)
                .setAmountMinor(100)
                .setCurrency("EUR")
                .setTriggeringTransactionIds(List.of(tx))
                .setExplanation("matched by " + tx)
                .setBlocked(false)
                .setEventTime(eventTime)
                .setDetectedTime(Instant.ofEpochMilli(detectedAt))
                .build();
    }

    @Test
    void matchesOfOneBurstMakeOneAlertCountingThemWithTheLatestListed() {
        FraudAlert window = AlertWindow.open(match("velocity", "t1", T0, 1_000));
        for (int i = 2; i <= 5; i++) {
            FraudAlert next = match("velocity", "t" + i, T0.plusSeconds(60L * i), 1_000L * i);
            assertThat(AlertWindow.admits(window, next, SETTINGS)).isTrue();
            window = AlertWindow.join(window, next, SETTINGS);
        }
        assertThat(window.getMatches()).isEqualTo(5);
        assertThat(window.getAlertId())
                .isEqualTo(AlertWindow.windowId("velocity", "partner-1", "acc-1", "t1"));
        assertThat(window.getTransactionId()).isEqualTo("t5");
        assertThat(window.getLatestTransactionIds()).containsExactly("t3", "t4", "t5");
        assertThat(window.getFirstEventTime()).isEqualTo(T0);
        assertThat(window.getEventTime()).isEqualTo(T0.plusSeconds(300));
        assertThat(window.getDetectedTime()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(window.getLastDetectedTime()).isEqualTo(Instant.ofEpochMilli(5_000));
        assertThat(window.getScore()).isEqualTo(0.9);
    }

    @Test
    void aQuietSpellLongerThanTheGapOrAWindowPastItsLongestSpanOpensAnotherWindow() {
        FraudAlert window = AlertWindow.open(match("velocity", "t1", T0, 0));
        assertThat(
                        AlertWindow.admits(
                                window,
                                match("velocity", "t2", T0.plus(Duration.ofMinutes(10)), 0),
                                SETTINGS))
                .as("exactly the gap later")
                .isTrue();
        assertThat(
                        AlertWindow.admits(
                                window,
                                match("velocity", "t2", T0.plus(Duration.ofMinutes(11)), 0),
                                SETTINGS))
                .as("past the gap")
                .isFalse();
        // Every 9 minutes, for more than an hour: joins until the window's longest span.
        FraudAlert busy = window;
        int joined = 1;
        for (int i = 1; i <= 8; i++) {
            FraudAlert next = match("velocity", "b" + i, T0.plus(Duration.ofMinutes(9L * i)), 0);
            if (!AlertWindow.admits(busy, next, SETTINGS)) {
                break;
            }
            busy = AlertWindow.join(busy, next, SETTINGS);
            joined++;
        }
        assertThat(joined).as("matches within the first hour (0, 9, ..., 54 minutes)").isEqualTo(7);
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheProblem() {
        assertThatThrownBy(
                        () ->
                                new AlertWindowSettings(
                                        Duration.ZERO,
                                        Duration.ofHours(1),
                                        Duration.ofSeconds(5),
                                        3))
                .hasMessageContaining("gap");
        assertThatThrownBy(
                        () ->
                                new AlertWindowSettings(
                                        Duration.ofHours(2),
                                        Duration.ofHours(1),
                                        Duration.ofSeconds(5),
                                        3))
                .hasMessageContaining("longest");
        assertThatThrownBy(
                        () ->
                                new AlertWindowSettings(
                                        Duration.ofMinutes(1),
                                        Duration.ofHours(1),
                                        Duration.ZERO,
                                        3))
                .hasMessageContaining("revision interval");
    }

    @Test
    void aStormOfMatchesPublishesTheFirstAtOnceThenARevisionPerIntervalThenTheLast()
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, FraudAlert, FraudAlert> harness =
                harness()) {
            harness.open();
            harness.setProcessingTime(0);
            // 1,500 matches over 15 seconds of processing time, one event-time second apart.
            for (int i = 0; i < 1_500; i++) {
                long now = i * 10L;
                harness.setProcessingTime(now);
                harness.processElement(match("velocity", "s" + i, T0.plusSeconds(i), now), now);
            }
            // Revision timers fall on 5 s boundaries: the first at 10 s, the first boundary at
            // least 5 s after the first unpublished revision (at 10 ms).
            assertThat(published(harness))
                    .as("the first match at once, then one revision per interval")
                    .extracting(FraudAlert::getMatches)
                    .containsExactly(1L, 1_000L);
            // Quiet for the gap: the last revision, and the account's state is emptied.
            harness.setProcessingTime(Duration.ofMinutes(11).toMillis());
            List<FraudAlert> all = published(harness);
            assertThat(all).extracting(FraudAlert::getMatches).containsExactly(1L, 1_000L, 1_500L);
            assertThat(all)
                    .extracting(FraudAlert::getAlertId)
                    .containsOnly(all.get(0).getAlertId());
            assertThat(harness.numKeyedStateEntries()).as("keyed state after the gap").isZero();
            assertThat(harness.numProcessingTimeTimers()).as("timers after the gap").isZero();
        }
    }

    @Test
    void eachRuleHasItsOwnWindowAndANewBurstIsANewAlert() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, FraudAlert, FraudAlert> harness =
                harness()) {
            harness.open();
            harness.setProcessingTime(0);
            harness.processElement(match("velocity", "a1", T0, 0), 0);
            harness.processElement(match("rapid-in-out", "a2", T0, 0), 0);
            harness.processElement(match("velocity", "a3", T0.plusSeconds(30), 0), 0);
            // An hour later in event time: a new burst, a new alert; the old window's pending
            // revision (a3 joined it) is published first.
            harness.processElement(match("velocity", "a4", T0.plusSeconds(3_600), 0), 0);
            List<FraudAlert> published = published(harness);
            assertThat(published)
                    .extracting(
                            a -> a.getRuleId() + ":" + a.getMatches() + ":" + a.getTransactionId())
                    .containsExactly(
                            "velocity:1:a1", "rapid-in-out:1:a2", "velocity:2:a3", "velocity:1:a4");
            assertThat(published.get(3).getAlertId()).isNotEqualTo(published.get(0).getAlertId());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FraudAlert, FraudAlert> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FraudAlertWindows(SETTINGS)),
                FraudAlert::getAccountId,
                Types.STRING);
    }

    private static List<FraudAlert> published(
            KeyedOneInputStreamOperatorTestHarness<String, FraudAlert, FraudAlert> harness) {
        List<FraudAlert> out = new ArrayList<>(harness.extractOutputValues());
        return out;
    }
}
