package io.ledgerflow.testdata.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The figures of one load run.
 *
 * @param mode {@code open-loop} (with its daily shape, if any) or {@code closed-loop}
 * @param targetRate requests per second asked for (open loop; a shaped day's mean), 0 for closed
 *     loop
 * @param concurrency requests in flight (closed loop), 0 for open loop
 * @param sent requests sent
 * @param accepted requests the target accepted
 * @param failed requests refused or failed (see {@link #errorsByType})
 * @param seconds time from the first send to the last
 * @param achievedRate sent per second over {@link #seconds}
 * @param latency from each request's intended start to its answer: corrected for coordinated
 *     omission in open loop (a stalled target charges every request that should have been sent
 *     meanwhile); in closed loop the same as service time
 * @param serviceTime from the actual send to the answer (what a naive client would report)
 * @param errorsByType failures by {@link io.ledgerflow.testdata.target.Outcome#errorType()}
 */
public record LoadReport(
        String target,
        String mode,
        double targetRate,
        int concurrency,
        long sent,
        long accepted,
        long failed,
        double seconds,
        double achievedRate,
        LatencySummary latency,
        LatencySummary serviceTime,
        SortedMap<String, Long> errorsByType) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The report as indented JSON (for benchmark scripts and CI artefacts). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of numbers and strings always serialises", e);
        }
    }

    /** The report as text for a person. */
    public String render() {
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        Locale.ROOT,
                        "Load report (%s, %s%s)%n",
                        target,
                        mode,
                        targetRate > 0
                                ? String.format(Locale.ROOT, " at %.0f/s", targetRate)
                                : " with " + concurrency + " in flight"));
        s.append(
                String.format(
                        Locale.ROOT,
                        "  sent %d in %.1f s (%.1f/s): accepted %d, failed %d%n",
                        sent,
                        seconds,
                        achievedRate,
                        accepted,
                        failed));
        s.append(
                String.format(
                        Locale.ROOT,
                        "  %-36s %9s %9s %9s %9s %9s %9s%n",
                        "latency (ms)",
                        "p50",
                        "p90",
                        "p99",
                        "p99.9",
                        "max",
                        "mean"));
        s.append(row("from intended start (CO-corrected)", latency));
        s.append(row("from actual send (service time)", serviceTime));
        if (errorsByType.isEmpty()) {
            s.append("  errors: none\n");
        } else {
            s.append("  errors by type:\n");
            for (Map.Entry<String, Long> e : errorsByType.entrySet()) {
                s.append(String.format(Locale.ROOT, "    %-40s %d%n", e.getKey(), e.getValue()));
            }
        }
        return s.toString();
    }

    private static String row(String label, LatencySummary l) {
        return String.format(
                Locale.ROOT,
                "  %-36s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n",
                label,
                l.p50(),
                l.p90(),
                l.p99(),
                l.p999(),
                l.max(),
                l.mean());
    }
}
