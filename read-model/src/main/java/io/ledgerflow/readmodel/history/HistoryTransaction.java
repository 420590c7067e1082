package io.ledgerflow.readmodel.history;

import java.time.Instant;

/**
 * A transaction as the history lists it: the read model's row with the partner's metadata and
 * reference. Amounts in minor units of {@code currency}.
 *
 * @param metadataJson the metadata object as JSON text, exactly as PostgreSQL's jsonb renders it
 *     (always a valid JSON object; {@code {}} when none)
 * @param heldAmountMinor for a HOLD that reached HELD: the amount reserved; else null
 * @param heldTime when that amount was reserved; else null
 */
public record HistoryTransaction(
        String partnerId,
        String transactionId,
        String type,
        String status,
        String reason,
        String reasonDetail,
        String sourceAccountId,
        String destinationAccountId,
        String relatedTransactionId,
        long amountMinor,
        String currency,
        Instant eventTime,
        Instant receivedTime,
        Instant decidedTime,
        String metadataJson,
        String externalReference,
        Long heldAmountMinor,
        Instant heldTime) {

    /** This row's place in the history, for the next page's cursor. */
    public TransactionPosition position() {
        return new TransactionPosition(receivedTime, transactionId);
    }
}
