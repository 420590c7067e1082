package io.ledgerflow.testdata.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The runner's time source: real time in runs, a simulated one in tests (so the scheduler's
 * arithmetic is tested deterministically, without sleeping).
 */
public interface LoadClock {

    /** Monotonic nanoseconds. */
    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadline} (at once if it has). */
    void sleepUntil(long deadline);

    /** The system's monotonic clock; parks for most of a wait, spins the last 50 microseconds. */
    LoadClock SYSTEM =
            new LoadClock() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void sleepUntil(long deadline) {
                    long remaining;
                    while ((remaining = deadline - System.nanoTime()) > 0) {
                        if (remaining > 50_000) {
                            LockSupport.parkNanos(remaining - 50_000);
                        } else {
                            Thread.onSpinWait();
                        }
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                    }
                }
            };
}
