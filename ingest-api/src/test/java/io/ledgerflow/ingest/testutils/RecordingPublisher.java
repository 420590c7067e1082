package io.ledgerflow.ingest.testutils;

import io.ledgerflow.ingest.ledger.LedgerRequestPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-JVM publisher that records what would be sent and acknowledges at once. */
public final class RecordingPublisher implements LedgerRequestPublisher {

    private final List<KeyedRequest> published = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> publish(KeyedRequest request) {
        return publishAll(List.of(request)).get(0);
    }

    @Override
    public List<CompletableFuture<Void>> publishAll(List<KeyedRequest> requests) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (KeyedRequest request : requests) {
            published.add(request);
            futures.add(CompletableFuture.completedFuture(null));
        }
        return futures;
    }

    public List<KeyedRequest> published() {
        return published;
    }

    @Override
    public void close() {}
}
