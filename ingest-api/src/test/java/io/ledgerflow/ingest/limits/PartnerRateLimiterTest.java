package io.ledgerflow.ingest.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.limits.Admission.Limit;
import io.ledgerflow.ingest.testutils.ManualTicker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rate-limit rules on their own: a manual ticker, no server, no sleeping. */
class PartnerRateLimiterTest {

    private static final PartnerLimits DEFAULTS = new PartnerLimits(10, 20, 100, 1000);

    private final ManualTicker ticker = new ManualTicker();
    private final AtomicInteger live = new AtomicInteger(1);

    private PartnerRateLimiter limiter(PartnerLimitOverrides overrides) {
        return new PartnerRateLimiter(DEFAULTS, overrides, live::get, ticker);
    }

    private static int admitted(PartnerRateLimiter limiter, String partner, int requests) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            if (limiter.admitRequest(partner).admitted()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void aRestedPartnerGetsItsBurstThenItsRate() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);

        assertThat(admitted(limiter, "p", 50)).isEqualTo(20);
        ticker.advanceMillis(500);
        assertThat(admitted(limiter, "p", 50)).isEqualTo(5);
        // Over ten seconds at twice the rate, exactly the rate gets through.
        int total = 0;
        for (int tick = 0; tick < 100; tick++) {
            ticker.advanceMillis(100);
            total += admitted(limiter, "p", 2);
        }
        assertThat(total).isEqualTo(100);
    }

    @Test
    void aRefusalSaysWhenToRetryAndWhatIsLeft() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);
        Admission first = limiter.admitRequest("p");
        assertThat(first)
                .isEqualTo(new Admission(Limit.REQUESTS, true, 10, 10, 1)); // 19 left, shown as q
        admitted(limiter, "p", 19);

        Admission refused = limiter.admitRequest("p");

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.quota()).isEqualTo(10);
        // One token comes back in 0.1 s: Retry-After is whole seconds, at least 1.
        assertThat(refused.resetSeconds()).isEqualTo(1);
    }

    @Test
    void partnersDoNotShareBuckets() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);
        assertThat(admitted(limiter, "flooding", 1000)).isEqualTo(20);
        assertThat(admitted(limiter, "quiet", 20)).isEqualTo(20);
    }

    @Test
    void aBatchCountsItsItemsAndIsRefusedWhole() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);

        assertThat(limiter.admitMovements("p", 600).admitted()).isTrue();
        Admission refused = limiter.admitMovements("p", 500);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.limit()).isEqualTo(Limit.MOVEMENTS);
        // 400 left; 100 more come in one second.
        assertThat(refused.resetSeconds()).isEqualTo(1);
        assertThat(limiter.admitMovements("p", 400).admitted()).isTrue();
        assertThat(limiter.admitMovements("p", 1).admitted()).isFalse();
        // Requests are a separate allowance.
        assertThat(limiter.admitRequest("p").admitted()).isTrue();
    }

    @Test
    void aBatchLargerThanTheBurstPassesFromAFullAllowanceAndLeavesADebt() {
        PartnerRateLimiter limiter = limiter(p -> Optional.of(new PartnerLimits(10, 20, 100, 50)));

        assertThat(limiter.admitMovements("p", 200).admitted()).isTrue();
        // 150 in debt at 100/s: a single movement fits again after 1.51 s, not before.
        ticker.advanceMillis(1400);
        Admission early = limiter.admitMovements("p", 1);
        assertThat(early.admitted()).isFalse();
        assertThat(early.resetSeconds()).isEqualTo(1);
        ticker.advanceMillis(200);
        assertThat(limiter.admitMovements("p", 1).admitted()).isTrue();
        // Another oversized batch needs the full allowance again.
        assertThat(limiter.admitMovements("p", 200).admitted()).isFalse();
    }

    @Test
    void overridesReplaceTheDefaultsForThatPartnerOnly() {
        PartnerRateLimiter limiter =
                limiter(
                        p ->
                                Optional.ofNullable(
                                        Map.of("big", new PartnerLimits(1000, 2000, 1000, 5000))
                                                .get(p)));

        assertThat(admitted(limiter, "big", 3000)).isEqualTo(2000);
        assertThat(admitted(limiter, "small", 3000)).isEqualTo(20);
        assertThat(limiter.admitRequest("big").quota()).isEqualTo(1000);
        assertThat(limiter.limitsOf("small")).isEqualTo(DEFAULTS);
    }

    @Test
    void eachInstanceAdmitsItsShareAndRaisesItWhenAnInstanceGoes() {
        live.set(2);
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);

        // Half the burst (10), then half the rate (5/s).
        assertThat(admitted(limiter, "p", 100)).isEqualTo(10);
        ticker.advanceMillis(1000);
        assertThat(admitted(limiter, "p", 100)).isEqualTo(5);

        live.set(1);
        ticker.advanceMillis(1000);
        assertThat(admitted(limiter, "p", 100)).isEqualTo(10);
        // The headers speak of the partner's whole limit, remaining estimated for all instances.
        live.set(2);
        ticker.advanceMillis(1000);
        Admission a = limiter.admitRequest("p");
        assertThat(a.quota()).isEqualTo(10);
        assertThat(a.remaining()).isEqualTo(8); // 4 tokens left here, times 2 instances
    }

    @Test
    void theShareShrinksAtOnceWhenAnInstanceJoins() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);
        live.set(4);
        // A full allowance of 20 becomes 5 here: the others admit the rest.
        assertThat(admitted(limiter, "p", 100)).isEqualTo(5);
    }

    @Test
    void partnersIdleUntilFullAreForgotten() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);
        for (int p = 0; p < 1000; p++) {
            limiter.admitRequest("partner-" + p);
        }
        limiter.admitMovements("busy", 1000);
        assertThat(limiter.trackedPartners()).isEqualTo(1001);

        // After 1.1 s the request buckets are full again (one token each), the busy partner's
        // movements not yet (100 of 1000).
        ticker.advanceMillis(1100);
        limiter.admitRequest("trigger");
        assertThat(limiter.trackedPartners()).isEqualTo(2);

        ticker.advance(Duration.ofSeconds(11));
        limiter.admitRequest("trigger");
        assertThat(limiter.trackedPartners()).isEqualTo(1);
    }

    @Test
    void forgettingAFullBucketChangesNoAnswer() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);
        assertThat(admitted(limiter, "p", 100)).isEqualTo(20);
        ticker.advance(Duration.ofSeconds(5));
        limiter.admitRequest("other"); // sweeps "p"
        assertThat(admitted(limiter, "p", 100)).isEqualTo(20);
    }

    @Test
    void movementCountsMustBePositive() {
        PartnerRateLimiter limiter = limiter(PartnerLimitOverrides.NONE);
        assertThatThrownBy(() -> limiter.admitMovements("p", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsAreBounded() {
        assertThatThrownBy(() -> new PartnerLimits(0, 1, 1, 1))
                .hasMessageContaining("requestsPerSecond");
        assertThat(DEFAULTS.overriddenBy(null, 5, null, null))
                .isEqualTo(new PartnerLimits(10, 5, 100, 1000));
    }
}
