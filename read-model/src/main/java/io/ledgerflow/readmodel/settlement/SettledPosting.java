package io.ledgerflow.readmodel.settlement;

import java.time.Instant;

/**
 * A ledger entry on a partner's settlement account, as the read model holds it: what a batch
 * settles.
 *
 * @param direction {@code CREDIT} or {@code DEBIT}
 * @param reversal a compensating posting (undoes an earlier debit): settled, never charged a fee
 * @param entryHash the entry's hash in the ledger's chain; the batch hash covers it
 */
public record SettledPosting(
        String accountId,
        long sequence,
        String transactionId,
        String movementType,
        String direction,
        long amountMinor,
        boolean reversal,
        Instant eventTime,
        Instant postedTime,
        String entryHash) {

    public boolean credit() {
        return "CREDIT".equals(direction);
    }
}
