package io.ledgerflow.testdata.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shapes of the seeded distributions, within statistical tolerance. */
class DistributionsTest {

    private static final int N = 200_000;

    @Test
    void logNormalAmountsHaveTheirMedianAndLogSpread() {
        LogNormalAmounts amounts = new LogNormalAmounts(2_500, 1.2);
        SplittableRandom random = new SplittableRandom(1);
        double[] logs = new double[N];
        long[] values = new long[N];
        for (int i = 0; i < N; i++) {
            values[i] = amounts.draw(random);
            logs[i] = Math.log(values[i]);
        }
        Arrays.sort(values);
        double mu = Arrays.stream(logs).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(logs).map(l -> (l - mu) * (l - mu)).sum() / (N - 1));
        assertThat((double) values[N / 2]).as("median").isCloseTo(2_500, within(75.0));
        assertThat(sd).as("standard deviation of the log").isCloseTo(1.2, within(0.02));
        assertThat(Arrays.stream(values).average().orElseThrow())
                .as("mean exp(mu + sigma^2/2)")
                .isCloseTo(amounts.mean(), within(amounts.mean() * 0.05));
        assertThat(values[0]).isGreaterThanOrEqualTo(1);
    }

    @Test
    void zipfRanksAreSkewedAsTheExponentSays() {
        ZipfRanks zipf = new ZipfRanks(10_000, 1.1);
        SplittableRandom random = new SplittableRandom(2);
        int[] counts = new int[zipf.size()];
        for (int i = 0; i < N; i++) {
            counts[zipf.draw(random)]++;
        }
        for (int k : new int[] {0, 1, 9}) {
            assertThat(counts[k] / (double) N)
                    .as("frequency of rank %d", k)
                    .isCloseTo(zipf.probability(k), within(zipf.probability(k) * 0.05));
        }
        // Frequency ratio of ranks 1 and 2 is 2^s.
        assertThat(counts[0] / (double) counts[1]).isCloseTo(Math.pow(2, 1.1), within(0.1));
        long top1Percent = Arrays.stream(counts, 0, 100).sum();
        double expected = 0;
        for (int k = 0; k < 100; k++) {
            expected += zipf.probability(k);
        }
        assertThat(expected).as("H(100, 1.1) / H(10000, 1.1)").isCloseTo(0.648, within(0.001));
        assertThat(top1Percent / (double) N)
                .as("share of the hottest 1%")
                .isCloseTo(expected, within(0.01));
    }

    @Test
    void zipfWithExponentZeroIsUniform() {
        ZipfRanks uniform = new ZipfRanks(4, 0);
        for (int k = 0; k < 4; k++) {
            assertThat(uniform.probability(k)).isCloseTo(0.25, within(1e-12));
        }
    }

    @Test
    void eventTimesFollowTheTimeOfDayProfileAndMeanRate() {
        TimeOfDayProfile profile = TimeOfDayProfile.RETAIL;
        SplittableRandom random = new SplittableRandom(3);
        double ratePerSecond = 2.0;
        Instant start = Instant.parse("2026-11-20T00:00:00Z");
        Instant t = start;
        int[] perHour = new int[24];
        int events = 0;
        // Two simulated days.
        Instant end = start.plusSeconds(2 * 86_400);
        while (true) {
            t = profile.next(t, ratePerSecond, random);
            if (!t.isBefore(end)) {
                break;
            }
            perHour[TimeOfDayProfile.hourOf(t)]++;
            events++;
        }
        assertThat(events / (2 * 86_400.0)).as("mean rate").isCloseTo(ratePerSecond, within(0.05));
        // Each hour's share matches the profile's average relative rate over that hour.
        for (int h = 0; h < 24; h++) {
            double expected = 0;
            for (int s = h * 3600; s < (h + 1) * 3600; s += 60) {
                expected += profile.relativeRate(s) / 60;
            }
            expected = expected * ratePerSecond * 3600 * 2;
            assertThat((double) perHour[h])
                    .as("events in hour %d", h)
                    .isCloseTo(expected, within(expected * 0.08 + 30));
        }
        assertThat(perHour[19]).as("evening peak vs night").isGreaterThan(perHour[3] * 8);
    }

    @Test
    void flatProfileIsStationary() {
        for (int s = 0; s < 86_400; s += 977) {
            assertThat(TimeOfDayProfile.FLAT.relativeRate(s)).isCloseTo(1.0, within(1e-12));
        }
    }
}
