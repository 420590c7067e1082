package io.ledgerflow.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentActivityTest {

    private static final FraudScreenSettings SETTINGS =
            new FraudScreenSettings(Duration.ofMinutes(10), 20, Duration.ofDays(400));
    private final RecentActivity view = new RecentActivity(SETTINGS);

    private static AccountActivity at(long minute, String id) {
        return new AccountActivity(minute * 60_000, id, 100, "payee", false);
    }

    @Test
    void theRulesSeeTheMovementsWithinTheRetentionOfTheNewestAndAtMostTheLastMax() {
        List<AccountActivity> stored = new ArrayList<>();
        stored.add(at(0, "old"));
        stored.add(at(5, "kept-1"));
        stored.add(at(10, "on-the-horizon")); // exactly 10 minutes before the newest: gone
        stored.add(at(20, "newest"));
        stored.add(at(15, "late"));
        assertThat(view.kept(stored))
                .extracting(a -> a.transactionId)
                .containsExactly("newest", "late");

        List<AccountActivity> busy = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            busy.add(at(1, "m" + i));
        }
        assertThat(view.kept(busy))
                .extracting(a -> a.transactionId)
                .hasSize(20)
                .startsWith("m10")
                .endsWith("m29");
        assertThat(view.keptWith(busy, at(1, "m30")))
                .extracting(a -> a.transactionId)
                .startsWith("m11")
                .endsWith("m30");
    }

    @Test
    void aListIsAppendedToUntilItHoldsSlackMoreThanTheRulesSee() {
        assertThat(view.slack()).isEqualTo(8);
        assertThat(view.appendable(null, 0)).isFalse(); // stored before lengths were counted
        assertThat(view.appendable(0, 0)).isTrue();
        assertThat(view.appendable(27, 20)).isTrue();
        assertThat(view.appendable(28, 20)).isFalse(); // 8 stored movements the rules ignore
        assertThat(view.appendable(28, 28)).isFalse(); // at maxActivities + slack: rewrite
        assertThat(view.appendable(10, 3)).isTrue();
        assertThat(view.appendable(10, 2)).isFalse();
    }

    /**
     * The screen appends and rewrites now and then; the rules must see exactly the list the screen
     * used to rewrite on every movement. Checked for movements in event-time order, with gaps
     * longer and shorter than the retention, over many random runs.
     */
    @Test
    void appendingSeesWhatRewritingEveryTimeSaw() {
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            List<AccountActivity> everyTime = new ArrayList<>();
            List<AccountActivity> stored = new ArrayList<>();
            int storedLength = 0;
            long minute = 0;
            for (int i = 0; i < 300; i++) {
                int gap = random.nextInt(10) == 0 ? random.nextInt(30) : random.nextInt(2);
                minute += gap;
                AccountActivity a = at(minute, "r" + run + "-" + i);

                List<AccountActivity> seen = view.kept(stored);
                assertThat(seen).containsExactlyElementsOf(everyTime);
                if (view.appendable(storedLength, seen.size())) {
                    stored.add(a);
                    storedLength++;
                } else {
                    stored = view.keptWith(stored, a);
                    storedLength = stored.size();
                }
                assertThat(storedLength).isLessThanOrEqualTo(20 + 8);
                everyTime = view.keptWith(everyTime, a);
            }
        }
    }
}
