package io.ledgerflow.ingest.testutils;

import io.ledgerflow.ingest.limits.Ticker;
import java.time.Duration;

/** A ticker that moves only when told: rate-limit tests without sleeping. */
public final class ManualTicker implements Ticker {

    // Not zero: real nano times are arbitrary, and code must not assume a zero start.
    private long nanos = 1_000_000_000_000L;

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    public synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }

    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }
}
