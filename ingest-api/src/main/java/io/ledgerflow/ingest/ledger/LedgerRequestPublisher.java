package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.LedgerRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes ledger requests to the request log (Kafka topic {@code ledger.requests}). A returned
 * future completes only once the write is durable (acknowledged by all in-sync replicas), and fails
 * with {@link PublishException} within a bounded time otherwise; it never hangs.
 */
public interface LedgerRequestPublisher extends AutoCloseable {

    /** One request, keyed by the account the ledger acts on first. */
    CompletableFuture<Void> publish(KeyedRequest request);

    /**
     * Several requests at once (a batch submission): one hand-over to the producer for all, which
     * is what makes batches cheap. Futures in the order of the requests.
     */
    List<CompletableFuture<Void>> publishAll(List<KeyedRequest> requests);

    /** A request and its Kafka key. */
    record KeyedRequest(String key, LedgerRequest request) {}

    @Override
    void close();
}
