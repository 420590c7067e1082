package io.ledgerflow.testdata.load;

import io.ledgerflow.testdata.population.Request;
import io.ledgerflow.testdata.target.Outcome;
import io.ledgerflow.testdata.target.Target;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends requests to a target under a {@link LoadPlan} and measures every answer.
 *
 * <p><b>Open loop, corrected for coordinated omission.</b> Request i is due at {@code start +
 * i/rate}, independent of earlier answers. The sender waits for that moment, or sends at once when
 * it is late. Latency is measured from the due moment, not from the send: when the target stalls
 * for 2 s (or the sender is held back by the in-flight bound), every request that was due during
 * the stall is charged the time it waited. A naive client, which measures from its own late send,
 * would report one slow request and hide the rest; that is the service time, reported beside.
 *
 * <p><b>Closed loop.</b> {@code concurrency} requests in flight; the next is sent as soon as one is
 * answered. This finds the maximum throughput; latency is service time.
 */
public final class LoadRunner {

    /** Latencies above an hour are clamped: a run that slow is broken anyway. */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Target target;
    private final LoadClock clock;
    private final PrintStream progress;
    private final BiConsumer<Request, Outcome> listener;
    private volatile boolean stopped;

    /**
     * @param progress where live progress lines go (null: none)
     * @param listener told of every answer, on the answering thread (e.g. the run record)
     */
    public LoadRunner(
            Target target,
            LoadClock clock,
            PrintStream progress,
            BiConsumer<Request, Outcome> listener) {
        this.target = target;
        this.clock = clock;
        this.progress = progress;
        this.listener = listener == null ? (r, o) -> {} : listener;
    }

    /**
     * Ends a running {@link #run} early, from any thread (Ctrl-C, an embedding platform shutting
     * down): no new request is sent, the answers in flight are awaited, the report covers what was
     * sent. A runner stopped once stays stopped.
     */
    public void stop() {
        stopped = true;
    }

    /** Runs the plan over {@code requests} (stops early when they run out) and reports. */
    public LoadReport run(Iterator<? extends Request> requests, LoadPlan plan) {
        Run run = new Run(plan);
        run.execute(requests);
        return run.report();
    }

    /** The state of one run. */
    private final class Run {
        private final LoadPlan plan;
        private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
        private final Recorder service = new Recorder(HIGHEST_MICROS, 3);
        private final Histogram totalLatency = new Histogram(HIGHEST_MICROS, 3);
        private final Histogram totalService = new Histogram(HIGHEST_MICROS, 3);
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final Semaphore permits;
        private final int permitCount;
        private long sent;
        private long start;
        private long lastSend;
        private long lastProgress;
        private long sentAtLastProgress;
        private long failedAtLastProgress;

        Run(LoadPlan plan) {
            this.plan = plan;
            this.permitCount = plan.openLoop() ? plan.maxInFlight() : plan.concurrency();
            this.permits = new Semaphore(permitCount);
        }

        void execute(Iterator<? extends Request> requests) {
            start = clock.nanoTime();
            lastSend = start;
            lastProgress = start;
            long deadline =
                    plan.maxDuration() == null
                            ? Long.MAX_VALUE
                            : start + plan.maxDuration().toNanos();
            long limit = plan.maxRequests() > 0 ? plan.maxRequests() : Long.MAX_VALUE;
            double nanosPerRequest = plan.openLoop() ? 1e9 / plan.ratePerSecond() : 0;
            double shapedOffset = 0;
            try {
                while (!stopped && sent < limit && requests.hasNext()) {
                    long intended;
                    if (plan.openLoop()) {
                        if (plan.shape() == null) {
                            intended = start + (long) (sent * nanosPerRequest);
                        } else {
                            // Each gap follows the rate at the moment it starts.
                            intended = start + (long) shapedOffset;
                            shapedOffset +=
                                    nanosPerRequest
                                            / plan.shape().relativeRate((long) shapedOffset);
                        }
                        if (intended - deadline >= 0) {
                            break;
                        }
                        clock.sleepUntil(intended);
                        // The wait for a permit happens after the due moment: it is charged.
                        permits.acquire();
                    } else {
                        permits.acquire();
                        intended = clock.nanoTime();
                        if (intended - deadline >= 0) {
                            permits.release();
                            break;
                        }
                    }
                    send(requests.next(), intended);
                    maybeProgress(false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            drain();
            maybeProgress(true);
        }

        private void send(Request request, long intended) {
            long sentAt = clock.nanoTime();
            lastSend = sentAt;
            sent++;
            CompletableFuture<Outcome> answer;
            try {
                answer = target.send(request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.completedFuture(Outcome.failed(e));
            }
            answer.whenComplete(
                    (outcome, error) -> {
                        long now = clock.nanoTime();
                        Outcome o = error != null ? Outcome.failed(error) : outcome;
                        latency.recordValue(micros(now - intended));
                        service.recordValue(micros(now - sentAt));
                        if (o.accepted()) {
                            accepted.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            errors.computeIfAbsent(o.errorType(), k -> new LongAdder()).increment();
                        }
                        try {
                            listener.accept(request, o);
                        } finally {
                            permits.release();
                        }
                    });
        }

        private void drain() throws IllegalStateException {
            try {
                if (!permits.tryAcquire(
                        permitCount, plan.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    long unanswered = sent - accepted.get() - failed.get();
                    errors.computeIfAbsent("NO_ANSWER_WITHIN_DRAIN_TIMEOUT", k -> new LongAdder())
                            .add(unanswered);
                } else {
                    permits.release(permitCount);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void maybeProgress(boolean last) {
            if (plan.progressInterval() == null) {
                return;
            }
            long now = clock.nanoTime();
            if (!last && now - lastProgress < plan.progressInterval().toNanos()) {
                return;
            }
            Histogram interval = latency.getIntervalHistogram();
            totalLatency.add(interval);
            totalService.add(service.getIntervalHistogram());
            double seconds = Math.max(1e-9, (now - lastProgress) / 1e9);
            long failedNow = failed.get();
            if (progress != null) {
                progress.printf(
                        Locale.ROOT,
                        "[%6.1fs] sent %d (%.0f/s) accepted %d errors %d (%.0f/s) | latency p50 %.1f"
                                + " ms p99 %.1f ms max %.1f ms | in flight %d%n",
                        (now - start) / 1e9,
                        sent,
                        (sent - sentAtLastProgress) / seconds,
                        accepted.get(),
                        failedNow,
                        (failedNow - failedAtLastProgress) / seconds,
                        interval.getValueAtPercentile(50) / 1000.0,
                        interval.getValueAtPercentile(99) / 1000.0,
                        interval.getMaxValue() / 1000.0,
                        sent - accepted.get() - failedNow);
            }
            lastProgress = now;
            sentAtLastProgress = sent;
            failedAtLastProgress = failedNow;
        }

        LoadReport report() {
            totalLatency.add(latency.getIntervalHistogram());
            totalService.add(service.getIntervalHistogram());
            double seconds = Math.max(1e-9, (lastSend - start) / 1e9);
            Map<String, Long> byType = new TreeMap<>();
            errors.forEach((k, v) -> byType.put(k, v.sum()));
            return new LoadReport(
                    target.name(),
                    !plan.openLoop()
                            ? "closed-loop"
                            : plan.shape() == null
                                    ? "open-loop"
                                    : "open-loop, time-of-day shape, day = "
                                            + plan.shape().dayLength(),
                    plan.ratePerSecond(),
                    plan.openLoop() ? 0 : plan.concurrency(),
                    sent,
                    accepted.get(),
                    failed.get(),
                    seconds,
                    sent / seconds,
                    LatencySummary.of(totalLatency),
                    LatencySummary.of(totalService),
                    new TreeMap<>(byType));
        }

        private long micros(long nanos) {
            return Math.max(0, Math.min(HIGHEST_MICROS, nanos / 1000));
        }
    }
}
