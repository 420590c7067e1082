package io.ledgerflow.sinks.reconcile;

import java.time.LocalDate;

/**
 * A completed deposit or withdrawal of the ledger (read model {@code transactions}): the movements
 * that cross the platform's bank account, and so must appear on its statement.
 *
 * @param date the UTC date of the movement's event time
 * @param externalReference the partner's reference (issue 16), or null
 */
public record LedgerMovement(
        String partnerId,
        String transactionId,
        String type,
        long amountMinor,
        String currency,
        LocalDate date,
        String externalReference) {

    /**
     * The statement direction this movement shows up with: a deposit comes in, a payout goes out.
     */
    public StatementLine.Direction direction() {
        return type.equals("DEPOSIT")
                ? StatementLine.Direction.CREDIT
                : StatementLine.Direction.DEBIT;
    }
}
