package io.ledgerflow.flink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/**
 * Stopping a job that was started in this JVM (tests, benchmarks and the local platform, which run
 * jobs on MiniClusters).
 */
public final class FlinkJobs {

    private FlinkJobs() {}

    /**
     * Cancels the job and waits until it has stopped. {@code cancel()} completes when the request
     * is accepted, while tasks may still be writing a checkpoint into a directory the caller
     * deletes next (a test's {@code @TempDir}, the local run's data directory). The job's result
     * completes only once every task ended (a per-job MiniCluster also answers it after it shut
     * down, unlike a status query). Bounded: 30 s for the request, 60 s for the stop.
     */
    public static void cancelAndWait(JobClient job) throws Exception {
        CompletableFuture<?> result = job.getJobExecutionResult();
        if (!result.isDone()) {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // It ended on its own meanwhile: the wait below returns at once.
            }
        }
        try {
            result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Cancelled (or failed before): stopped either way, which is all the caller needs.
        }
    }
}
