package io.ledgerflow.ingest.ledger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@code GET /api/v1/transactions/{id}} reads a transaction's status. Today: what the API
 * itself knows ({@link AcceptedTransactions}: ACCEPTED = durably written to Kafka). The sinks issue
 * replaces it with the PostgreSQL read model, which knows the ledger's decision (COMPLETED,
 * REJECTED with a reason, HELD, ...). Asynchronous because that implementation queries a database.
 */
public interface TransactionStatusView {

    /** The transaction {@code transactionId} of {@code partnerId}; empty for other partners'. */
    CompletableFuture<Optional<TransactionStatusRecord>> find(
            String partnerId, String transactionId);
}
