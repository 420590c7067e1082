package io.ledgerflow.readmodel.history;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One posting on an account as the read model holds it. {@code balanceAfterMinor} is exact
 * (numeric(38,0): a system account's balance may lie beyond 64 bits); amounts in minor units.
 *
 * @param direction DEBIT (money out of the account) or CREDIT (money in)
 * @param metadataJson the transaction's metadata as JSON text ({@code {}} when none)
 */
public record HistoryEntry(
        String accountId,
        long sequence,
        String transactionId,
        String movementType,
        String direction,
        long amountMinor,
        String currency,
        BigInteger balanceAfterMinor,
        String counterpartyAccountId,
        boolean reversal,
        Instant eventTime,
        Instant postedTime,
        String metadataJson,
        String externalReference) {

    public static final String DEBIT = "DEBIT";
    public static final String CREDIT = "CREDIT";

    /** This entry's place in the account's entries, for the next page's cursor. */
    public EntryPosition position() {
        return new EntryPosition(postedTime, sequence);
    }

    /** The amount with the sign of its effect on the balance: negative for a debit. */
    public BigInteger signedAmount() {
        BigInteger amount = BigInteger.valueOf(amountMinor);
        return DEBIT.equals(direction) ? amount.negate() : amount;
    }
}
