package io.ledgerflow.sinks.reconcile;

import java.time.LocalDate;

/**
 * One line of a bank or payment-service statement of the platform's account.
 *
 * @param lineNumber the line's number in the file (the header is line 1)
 * @param direction CREDIT: money came in (a partner's deposit); DEBIT: money went out (a payout, a
 *     withdrawal in the ledger)
 * @param amountMinor positive, in the currency's minor units
 */
public record StatementLine(
        int lineNumber,
        LocalDate valueDate,
        Direction direction,
        long amountMinor,
        String currency,
        String reference,
        String description) {

    /** Seen from the platform's bank account. */
    public enum Direction {
        CREDIT,
        DEBIT
    }
}
