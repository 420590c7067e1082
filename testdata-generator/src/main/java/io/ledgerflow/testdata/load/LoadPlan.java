package io.ledgerflow.testdata.load;

import java.time.Duration;

/**
 * How to drive a target.
 *
 * @param ratePerSecond open loop: requests per second, each scheduled at {@code start + i/rate}
 *     whether or not earlier ones have been answered; 0 means closed loop
 * @param concurrency closed loop: requests in flight, each sent as soon as one is answered
 * @param maxInFlight open loop: bound on unanswered requests (memory); when reached the sender
 *     waits, and that wait is charged to the waiting requests' latency
 * @param maxRequests stop after this many requests (0 = no bound)
 * @param maxDuration stop after this long (null = no bound); one of the two bounds is required
 * @param progressInterval live progress line every this long (null = no progress lines)
 * @param drainTimeout how long to wait for the answers to the last requests
 * @param shape open loop: a compressed day the rate follows (null = the same rate throughout)
 */
public record LoadPlan(
        double ratePerSecond,
        int concurrency,
        int maxInFlight,
        long maxRequests,
        Duration maxDuration,
        Duration progressInterval,
        Duration drainTimeout,
        DailyShape shape) {

    public static final int DEFAULT_CONCURRENCY = 64;
    public static final int DEFAULT_MAX_IN_FLIGHT = 20_000;

    public LoadPlan {
        if (maxRequests <= 0 && maxDuration == null) {
            throw new IllegalArgumentException("bound the run by a count or a duration");
        }
        if (ratePerSecond < 0 || (ratePerSecond == 0 && concurrency < 1) || maxInFlight < 1) {
            throw new IllegalArgumentException("need a positive rate, or a concurrency");
        }
    }

    /** Open loop at {@code rate} per second. */
    public static LoadPlan openLoop(double rate, long maxRequests, Duration maxDuration) {
        return new LoadPlan(
                rate,
                0,
                DEFAULT_MAX_IN_FLIGHT,
                maxRequests,
                maxDuration,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                null);
    }

    /** Closed loop with {@code concurrency} requests in flight. */
    public static LoadPlan closedLoop(int concurrency, long maxRequests, Duration maxDuration) {
        return new LoadPlan(
                0,
                concurrency,
                concurrency,
                maxRequests,
                maxDuration,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                null);
    }

    public boolean openLoop() {
        return ratePerSecond > 0;
    }

    public LoadPlan withProgressInterval(Duration interval) {
        return new LoadPlan(
                ratePerSecond,
                concurrency,
                maxInFlight,
                maxRequests,
                maxDuration,
                interval,
                drainTimeout,
                shape);
    }

    public LoadPlan withMaxInFlight(int bound) {
        return new LoadPlan(
                ratePerSecond,
                concurrency,
                bound,
                maxRequests,
                maxDuration,
                progressInterval,
                drainTimeout,
                shape);
    }

    /** The same plan with its open-loop rate following a compressed day. */
    public LoadPlan withShape(DailyShape dailyShape) {
        return new LoadPlan(
                ratePerSecond,
                concurrency,
                maxInFlight,
                maxRequests,
                maxDuration,
                progressInterval,
                drainTimeout,
                dailyShape);
    }
}
