package io.ledgerflow.ingest.bench;

import io.ledgerflow.ingest.http.HttpFront;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * What recording metrics costs the API, old against new in one JVM (issue 19): the hand-written
 * counters and histograms ({@link HandWrittenMetrics}) and Micrometer's Prometheus registry ({@link
 * IngestMetrics}). Each of {@code threads} threads (the event loops and the Kafka callback thread
 * record concurrently in the API) records what one accepted POST records: a request (counter and
 * histogram, by route, method and status), a produce acknowledgement (histogram) and an accepted
 * kind (counter), over a mix of routes and statuses; then the time of one scrape.
 *
 * <p>Not a test, and not to be run on a shared machine. {@code ingest-api/bench-metrics.sh
 * [seconds] [threads]} (defaults 5 and 2). The last line of stdout is "RESULT old_record_ns=...
 * new_record_ns=... old_scrape_us=... new_scrape_us=... load_before=... load_after=...": mean
 * nanoseconds of one request's recordings per thread, microseconds per scrape, 1-minute load
 * averages.
 */
public final class MetricsRecordingBenchmark {

    private MetricsRecordingBenchmark() {}

    /** What one request records, and the scrape, whichever implementation. */
    private record Recorder(
            HttpFront.RequestMetrics request,
            LongConsumer acknowledged,
            ObjIntConsumer<String> accepted,
            Supplier<String> render) {

        void record(String route, String method, int status, long nanos) {
            request.request(route, method, status, nanos);
            acknowledged.accept(nanos / 2);
            accepted.accept("TRANSFER", 1);
        }

        String scrape() {
            return render.get();
        }
    }

    private static final String[][] ROUTES = {
        {"/api/v1/transactions", "POST"},
        {"/api/v1/transactions/batch", "POST"},
        {"/api/v1/transactions/{transactionId}", "GET"},
        {"/api/v1/accounts/{accountId}", "GET"},
        {"unmatched", "GET"}
    };

    private static final int[] STATUSES = {202, 202, 202, 202, 200, 400, 404, 503};

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String loadBefore = IngestBenchmark.loadAverage();

        HandWrittenMetrics old = new HandWrittenMetrics();
        Recorder oldRecorder =
                new Recorder(old::request, old::acknowledged, old::accepted, old::render);
        IngestMetrics now = new IngestMetrics();
        Recorder newRecorder =
                new Recorder(now::request, now::acknowledged, now::accepted, now::render);

        double oldRecord = recording(oldRecorder, seconds, threads);
        double newRecord = recording(newRecorder, seconds, threads);
        double oldScrape = scraping(oldRecorder, seconds);
        double newScrape = scraping(newRecorder, seconds);
        System.out.printf(
                Locale.ROOT,
                "hand-written: %.0f ns per request's recordings, scrape %.1f µs%n"
                        + "Micrometer:   %.0f ns per request's recordings, scrape %.1f µs%n",
                oldRecord,
                oldScrape / 1000,
                newRecord,
                newScrape / 1000);
        System.out.printf(
                Locale.ROOT,
                "RESULT old_record_ns=%.0f new_record_ns=%.0f old_scrape_us=%.1f new_scrape_us=%.1f"
                        + " load_before=%s load_after=%s%n",
                oldRecord,
                newRecord,
                oldScrape / 1000,
                newScrape / 1000,
                loadBefore,
                IngestBenchmark.loadAverage());
    }

    /** Mean nanoseconds per request per thread: a warm-up of half the time, then the run. */
    private static double recording(Recorder recorder, double seconds, int threads)
            throws InterruptedException {
        run(recorder, seconds / 2, threads);
        return run(recorder, seconds, threads);
    }

    private static double run(Recorder recorder, double seconds, int threads)
            throws InterruptedException {
        LongAdder calls = new LongAdder();
        LongAdder nanos = new LongAdder();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int seed = t;
            workers[t] =
                    new Thread(
                            () -> {
                                long end = System.nanoTime() + (long) (seconds * 1e9);
                                long start = System.nanoTime();
                                long now = start;
                                long n = 0;
                                int i = seed;
                                while (now < end) {
                                    for (int k = 0; k < 256; k++, i++) {
                                        String[] route = ROUTES[i % ROUTES.length];
                                        int status = STATUSES[i % STATUSES.length];
                                        // 0.2 ms to 13 ms: the buckets the API's answers fall in.
                                        long latency = 200_000 + (i * 7919L % 13_000_000);
                                        recorder.record(route[0], route[1], status, latency);
                                    }
                                    n += 256;
                                    now = System.nanoTime();
                                }
                                calls.add(n);
                                nanos.add(now - start);
                            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return nanos.sum() / (double) calls.sum();
    }

    /** Mean nanoseconds of one scrape of what the recording left. */
    private static double scraping(Recorder recorder, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9 / 2);
        long start = System.nanoTime();
        long n = 0;
        long bytes = 0;
        while (System.nanoTime() < end) {
            bytes += recorder.scrape().length();
            n++;
        }
        if (bytes == 0) {
            throw new IllegalStateException("empty scrapes");
        }
        return (System.nanoTime() - start) / (double) n;
    }
}
