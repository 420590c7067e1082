package io.ledgerflow.ingest.ledger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@code GET /api/v1/transactions/{id}} reads a transaction's status: {@link
 * ReadModelStatusView} (the ledger's decision from the PostgreSQL read model) in front of {@link
 * AcceptedTransactions} (what this instance accepted: ACCEPTED = durably written to Kafka).
 * Asynchronous because the read model is a database query.
 */
public interface TransactionStatusView {

    /** The transaction {@code transactionId} of {@code partnerId}; empty for other partners'. */
    CompletableFuture<Optional<TransactionStatusRecord>> find(
            String partnerId, String transactionId);
}
