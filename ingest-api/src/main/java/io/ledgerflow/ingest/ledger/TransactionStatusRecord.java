package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.MovementType;
import java.time.Instant;

/**
 * A transaction's status as a view knows it.
 *
 * @param status {@code ACCEPTED} (written to Kafka, not yet decided) or one of the ledger's {@code
 *     TransactionStatus} names once a read model knows the decision
 * @param reason the ledger's {@code ReasonCode} when rejected; null otherwise
 * @param acceptedAt when the API received the acknowledgement from Kafka
 */
public record TransactionStatusRecord(
        String transactionId,
        String partnerId,
        MovementType type,
        String status,
        String reason,
        long amountMinor,
        String currency,
        Instant acceptedAt) {

    public static final String ACCEPTED = "ACCEPTED";
}
