package io.ledgerflow.flink.testutils;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * How the jobs under test restart after a failure: the ITCases kill TaskManagers, stop databases or
 * feed records that fail a task, and each wants restarts either to go on (the job must come back)
 * or to stop after a few (the job must keep failing at the same record, then give up).
 */
public final class Restarts {

    /** Restarts that never give up. */
    public static final int FOREVER = Integer.MAX_VALUE;

    private Restarts() {}

    /** A configuration restarting up to {@code attempts} times, {@code delay} apart. */
    public static Configuration fixedDelay(int attempts, Duration delay) {
        return fixedDelay(new Configuration(), attempts, delay);
    }

    /** {@code conf} with restarts up to {@code attempts} times, {@code delay} apart. */
    public static Configuration fixedDelay(Configuration conf, int attempts, Duration delay) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        return conf;
    }
}
