package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.readmodel.TransactionView;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Transaction status from the PostgreSQL read model (the ledger's decision: COMPLETED, REJECTED
 * with its reason, HELD, ...), falling back to this instance's memory of what it accepted
 * (ACCEPTED) while the decision has not reached the read model yet.
 *
 * <p>When the read model cannot answer, a transaction this instance accepted is still answered as
 * ACCEPTED (true, if possibly stale); any other lookup fails with {@link
 * ReadModelLookups.ReadModelUnavailableException}, because "not found" would be a lie.
 */
public final class ReadModelStatusView implements TransactionStatusView {

    private final ReadModelLookups readModel;
    private final TransactionStatusView accepted;

    public ReadModelStatusView(ReadModelLookups readModel, TransactionStatusView accepted) {
        this.readModel = readModel;
        this.accepted = accepted;
    }

    @Override
    public CompletableFuture<Optional<TransactionStatusRecord>> find(
            String partnerId, String transactionId) {
        return readModel
                .transaction(partnerId, transactionId)
                .handle(
                        (row, error) -> {
                            if (error != null) {
                                return accepted.find(partnerId, transactionId)
                                        .thenApply(found -> orUnavailable(found, error));
                            }
                            if (row.isPresent()) {
                                return CompletableFuture.completedFuture(
                                        Optional.of(decided(row.get())));
                            }
                            return accepted.find(partnerId, transactionId);
                        })
                .thenCompose(f -> f);
    }

    static <T> Optional<T> orUnavailable(Optional<T> found, Throwable error) {
        if (found.isPresent()) {
            return found;
        }
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        throw new ReadModelLookups.ReadModelUnavailableException(
                "read model unavailable: " + cause.getMessage(), cause);
    }

    private static TransactionStatusRecord decided(TransactionView row) {
        return new TransactionStatusRecord(
                row.transactionId(),
                row.partnerId(),
                MovementType.valueOf(row.type()),
                row.status(),
                row.reason(),
                row.reasonDetail(),
                row.amountMinor(),
                row.currency(),
                row.receivedTime(),
                row.decidedTime(),
                row.metadata(),
                row.externalReference());
    }
}
