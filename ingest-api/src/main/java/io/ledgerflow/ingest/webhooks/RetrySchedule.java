package io.ledgerflow.ingest.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: exponential backoff from {@code base}, doubled per attempt
 * up to {@code max}, with jitter (a random 50 to 100 % of it, so endpoints that failed together do
 * not come back in one wave), and never past the delivery's give-up time: then it is parked.
 */
public record RetrySchedule(Duration base, Duration max, DoubleSupplier random) {

    /** The next attempt after attempt number {@code attempt} (1 = the first) failed; null: park. */
    public Instant next(int attempt, Instant now, Instant giveUpAt) {
        double exponential = base.toMillis() * Math.pow(2, Math.min(attempt - 1, 40));
        double capped = Math.min(exponential, max.toMillis());
        long delay = (long) (capped * (0.5 + 0.5 * random.getAsDouble()));
        Instant next = now.plusMillis(Math.max(1, delay));
        return next.isAfter(giveUpAt) ? null : next;
    }
}
