package io.ledgerflow.testdata.target;

import io.ledgerflow.testdata.population.Request;
import java.util.concurrent.CompletableFuture;

/**
 * Somewhere requests are submitted. {@link #send} never throws for a request that fails: the
 * failure is an {@link Outcome} with an error type, so a load run counts it and goes on.
 */
public interface Target extends AutoCloseable {

    /**
     * Submits one request; the future completes when the target answered (HTTP response, Kafka
     * acknowledgement, line written). May block briefly when the target pushes back (a full Kafka
     * buffer); the load runner charges that wait to the request's latency.
     */
    CompletableFuture<Outcome> send(Request request);

    /** Makes everything sent so far durable (Kafka flush, file flush). */
    default void flush() {}

    /** A short name for reports: {@code http}, {@code kafka}, {@code jsonl}. */
    String name();

    @Override
    void close();
}
