package io.ledgerflow.testdata.testutils;

import io.ledgerflow.testdata.load.LoadClock;

/** A clock that only moves when told to, or when someone sleeps (it jumps to the deadline). */
public final class SimulatedClock implements LoadClock {

    private long now = 1_000_000_000L;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleepUntil(long deadline) {
        now = Math.max(now, deadline);
    }

    public synchronized void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }
}
