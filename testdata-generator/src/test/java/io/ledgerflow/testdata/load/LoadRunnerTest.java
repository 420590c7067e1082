package io.ledgerflow.testdata.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.MovementStream;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.population.Request;
import io.ledgerflow.testdata.population.TimeOfDayProfile;
import io.ledgerflow.testdata.target.Outcome;
import io.ledgerflow.testdata.target.Target;
import io.ledgerflow.testdata.testutils.SimulatedClock;
import io.ledgerflow.testdata.testutils.SimulatedTarget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's arithmetic on a simulated clock and an in-process target that answers after a
 * scripted service time (our own code, no network), so every figure is exact.
 */
class LoadRunnerTest {

    private static final Population POPULATION =
            Population.generate(GeneratorSettings.defaults().withPopulation(10, 3));

    private static MovementStream stream() {
        return new MovementStream(POPULATION, "r");
    }

    @Test
    void openLoopSendsOnScheduleAndCountsExactly() {
        SimulatedClock clock = new SimulatedClock();
        SimulatedTarget target = new SimulatedTarget(clock, n -> 1, n -> null);
        long start = clock.nanoTime();
        LoadReport report =
                new LoadRunner(target, clock, null, null)
                        .run(
                                stream(),
                                LoadPlan.openLoop(200, 1_000, null).withProgressInterval(null));
        assertThat(report.sent()).isEqualTo(1_000);
        assertThat(report.accepted()).isEqualTo(1_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(target.sendTimes.get(i) - start).isEqualTo(i * 5_000_000L);
        }
        assertThat(report.achievedRate()).isCloseTo(200, within(0.5));
        assertThat(report.latency().p99()).isCloseTo(1.0, within(0.01));
    }

    @Test
    void aStallIsChargedToEveryRequestThatWasDueDuringIt() {
        // 100/s for 10 s; request 300 (at t = 3 s) blocks for 2 s. A naive client sees one slow
        // request in 1,000: its p99 stays at the 1 ms service time. Measured from the intended
        // start, the 200 requests due during the stall waited up to 2 s: over 10% are slow.
        SimulatedClock clock = new SimulatedClock();
        SimulatedTarget target = new SimulatedTarget(clock, n -> n == 300 ? 2_000 : 1, n -> null);
        LoadReport report =
                new LoadRunner(target, clock, null, null)
                        .run(
                                stream(),
                                LoadPlan.openLoop(100, 1_000, null).withProgressInterval(null));
        assertThat(report.sent()).isEqualTo(1_000);
        assertThat(report.serviceTime().p99()).isCloseTo(1.0, within(0.01));
        assertThat(report.serviceTime().max()).isCloseTo(2_000, within(2.0));
        assertThat(report.latency().max()).isCloseTo(2_000, within(2.0));
        assertThat(report.latency().p90())
                .as("the requests queued behind the stall, 10 ms apart, waited 2 s down to 0")
                .isGreaterThan(150);
        assertThat(report.latency().p99()).isGreaterThan(1_700);
        // The sender caught up: all were sent within the planned 10 s plus the stall's tail.
        assertThat(report.seconds()).isCloseTo(9.99, within(0.05));
    }

    @Test
    void requestsNeverAnsweredAreCountedWhenTheDrainTimesOut() {
        SimulatedClock clock = new SimulatedClock();
        Target silent =
                new Target() {
                    @Override
                    public CompletableFuture<Outcome> send(Request r) {
                        return new CompletableFuture<>();
                    }

                    @Override
                    public String name() {
                        return "silent";
                    }

                    @Override
                    public void close() {}
                };
        LoadPlan plan = new LoadPlan(1_000, 0, 10, 3, null, null, Duration.ofMillis(10), null);
        LoadReport report = new LoadRunner(silent, clock, null, null).run(stream(), plan);
        assertThat(report.sent()).isEqualTo(3);
        assertThat(report.errorsByType()).isEqualTo(Map.of("NO_ANSWER_WITHIN_DRAIN_TIMEOUT", 3L));
    }

    @Test
    void closedLoopMeasuresServiceTimeAndRespectsTheDuration() {
        SimulatedClock clock = new SimulatedClock();
        SimulatedTarget target = new SimulatedTarget(clock, n -> 4, n -> null);
        LoadReport report =
                new LoadRunner(target, clock, null, null)
                        .run(
                                stream(),
                                LoadPlan.closedLoop(1, 0, Duration.ofSeconds(2))
                                        .withProgressInterval(null));
        // One in flight, 4 ms each: 500 in 2 s.
        assertThat(report.sent()).isEqualTo(500);
        assertThat(report.mode()).isEqualTo("closed-loop");
        assertThat(report.latency().p50()).isCloseTo(4.0, within(0.01));
        assertThat(report.achievedRate()).isCloseTo(250, within(1.0));
    }

    @Test
    void errorsAreCountedByTypeAndTheListenerHearsEveryAnswer() {
        SimulatedClock clock = new SimulatedClock();
        SimulatedTarget target =
                new SimulatedTarget(
                        clock,
                        n -> 1,
                        n ->
                                n % 10 == 0
                                        ? "HTTP_400/INVALID_AMOUNT"
                                        : n % 25 == 0 ? "TIMEOUT" : null);
        List<Outcome> heard = new ArrayList<>();
        LoadReport report =
                new LoadRunner(target, clock, null, (r, o) -> heard.add(o))
                        .run(
                                stream(),
                                LoadPlan.openLoop(1_000, 100, null).withProgressInterval(null));
        assertThat(report.errorsByType())
                .isEqualTo(Map.of("HTTP_400/INVALID_AMOUNT", 10L, "TIMEOUT", 2L));
        assertThat(report.failed()).isEqualTo(12);
        assertThat(report.accepted()).isEqualTo(88);
        assertThat(heard).hasSize(100);
    }

    @Test
    void progressLinesShowRateErrorsAndPercentiles() {
        SimulatedClock clock = new SimulatedClock();
        SimulatedTarget target = new SimulatedTarget(clock, n -> 2, n -> n % 50 == 0 ? "X" : null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new LoadRunner(target, clock, out, null)
                .run(stream(), LoadPlan.openLoop(100, 0, Duration.ofSeconds(3)));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSizeBetween(3, 4);
        assertThat(lines.get(0))
                .matches(
                        "\\[ +1\\.0s\\] sent 10\\d \\(10\\d/s\\) accepted \\d+ errors \\d+ \\(\\d/s\\)"
                                + " \\| latency p50 2\\.0 ms p99 2\\.0 ms max 2\\.0 ms \\| in flight 0");
        assertThat(lines.get(lines.size() - 1)).contains("sent 300");
    }

    @Test
    void stopEndsTheRunAfterTheRequestInFlight() {
        SimulatedClock clock = new SimulatedClock();
        SimulatedTarget target = new SimulatedTarget(clock, n -> 1, n -> null);
        LoadRunner[] runner = new LoadRunner[1];
        List<Outcome> heard = new ArrayList<>();
        runner[0] =
                new LoadRunner(
                        target,
                        clock,
                        null,
                        (r, o) -> {
                            heard.add(o);
                            if (heard.size() == 50) {
                                runner[0].stop();
                            }
                        });
        LoadReport report =
                runner[0].run(
                        stream(),
                        LoadPlan.openLoop(100, 0, Duration.ofHours(1)).withProgressInterval(null));
        assertThat(report.sent()).isEqualTo(50);
        assertThat(report.accepted()).isEqualTo(50);
    }

    @Test
    void aShapedDayFollowsTheTimeOfDayProfileAtItsMeanRate() {
        // One compressed day of 24 s at a mean of 500/s: night hours are thin, evening thick.
        SimulatedClock clock = new SimulatedClock();
        SimulatedTarget target = new SimulatedTarget(clock, n -> 0, n -> null);
        long start = clock.nanoTime();
        DailyShape day = new DailyShape(TimeOfDayProfile.RETAIL, Duration.ofSeconds(24));
        LoadReport report =
                new LoadRunner(target, clock, null, null)
                        .run(
                                stream(),
                                LoadPlan.openLoop(500, 0, Duration.ofSeconds(24))
                                        .withProgressInterval(null)
                                        .withShape(day));
        int[] perHour = new int[24];
        for (long t : target.sendTimes) {
            perHour[(int) ((t - start) / 1_000_000_000L)]++;
        }
        assertThat(report.sent()).as("a day at a mean of 500/s").isCloseTo(12_000, within(120L));
        assertThat(perHour[19] / (double) perHour[3])
                .as("evening peak over the night lull, as the profile's weights 1.75 / 0.10")
                .isBetween(12.0, 22.0);
        assertThat(report.mode()).isEqualTo("open-loop, time-of-day shape, day = PT24S");
    }
}
