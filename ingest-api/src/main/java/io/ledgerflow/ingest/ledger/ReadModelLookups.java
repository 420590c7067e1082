package io.ledgerflow.ingest.ledger;

import io.ledgerflow.readmodel.ReadModel;
import io.ledgerflow.readmodel.TransactionView;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The read model's blocking JDBC lookups, run off the event loops on a small pool of lookup threads
 * (one per pooled connection: more threads would only wait for a connection). The queue in front of
 * them is bounded so that a slow or unreachable database turns into quick 503s instead of an
 * ever-growing backlog of requests nobody waits for any more.
 */
public final class ReadModelLookups implements AutoCloseable {

    private final ReadModel readModel;
    private final ThreadPoolExecutor executor;
    private final AutoCloseable owned;

    /**
     * @param threads lookup threads, normally the read model's connection pool size
     * @param maxQueued lookups waiting for a thread before new ones are refused
     * @param owned closed with this object (the read model's connections); may be null
     */
    public ReadModelLookups(ReadModel readModel, int threads, int maxQueued, AutoCloseable owned) {
        this.readModel = readModel;
        this.owned = owned;
        AtomicInteger counter = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(maxQueued),
                        r -> {
                            Thread t = new Thread(r, "read-model-" + counter.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
    }

    /** The read model's row for a partner's transaction. */
    public CompletableFuture<Optional<TransactionView>> transaction(
            String partnerId, String transactionId) {
        return submit(() -> readModel.transaction(partnerId, transactionId));
    }

    /** The read model's row for an account, whoever owns it (callers filter by partner). */
    public CompletableFuture<Optional<io.ledgerflow.readmodel.AccountView>> account(
            String accountId) {
        return submit(() -> readModel.account(accountId));
    }

    private <T> CompletableFuture<T> submit(Supplier<T> lookup) {
        try {
            return CompletableFuture.supplyAsync(lookup, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(
                    new ReadModelUnavailableException("too many read model lookups waiting", e));
        }
    }

    @Override
    public void close() throws Exception {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        if (owned != null) {
            owned.close();
        }
    }

    /**
     * The read model could not answer in time (database down, pool exhausted, queue full); the API
     * answers 503 with Retry-After unless it can answer from its own memory.
     */
    public static final class ReadModelUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ReadModelUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
