package io.ledgerflow.ingest.history;

import io.ledgerflow.readmodel.ReadModelConnections;
import io.ledgerflow.readmodel.history.PostgresHistory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The history queries, run off the event loops on their own threads and connections (one thread per
 * connection). Apart from the single-row lookups of {@code GET /transactions/{id}} and {@code GET
 * /accounts/{id}} on purpose: a burst of statements then waits for its own threads and never delays
 * a status lookup. The queue in front is bounded, so a slow database turns into quick 503s.
 */
public final class HistoryLookups implements AutoCloseable {

    private final PostgresHistory history;
    private final ReadModelConnections connections;
    private final ThreadPoolExecutor executor;

    /**
     * @param threads query threads; as many as {@code connections} holds
     * @param maxQueued queries waiting for a thread before new ones are refused
     */
    public HistoryLookups(ReadModelConnections connections, int threads, int maxQueued) {
        this.connections = connections;
        this.history = new PostgresHistory(connections);
        AtomicInteger counter = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(Math.max(1, maxQueued)),
                        r -> {
                            Thread t = new Thread(r, "history-" + counter.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code query} on a history thread. */
    <T> CompletableFuture<T> submit(Function<PostgresHistory, T> query) {
        try {
            return CompletableFuture.supplyAsync(() -> query.apply(history), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new QueueFullException());
        }
    }

    /** Every history thread is busy and the queue in front of them is full. */
    static final class QueueFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueueFullException() {
            super("too many history queries waiting", null, false, false);
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        connections.close();
    }
}
