package io.ledgerflow.ingest.limits;

/**
 * A monotonic time source in nanoseconds, as {@link System#nanoTime()}: token buckets measure
 * elapsed time, not wall-clock time, so a clock step (NTP) neither grants nor takes tokens. Tests
 * move a manual ticker instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
