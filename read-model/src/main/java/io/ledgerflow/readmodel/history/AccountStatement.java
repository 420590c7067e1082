package io.ledgerflow.readmodel.history;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * An account's statement over [from, to): the balance before {@code from}, every entry posted in
 * the range in sequence order, and the balance after the last of them. {@code opening + credits -
 * debits = closing} holds by construction of the ledger (each entry's balance after is the one
 * before plus its signed amount); the statement reports the stored balances rather than computing
 * the closing one, so a broken chain would show instead of being papered over.
 */
public record AccountStatement(
        HistoryAccount account,
        Instant from,
        Instant to,
        BigInteger openingBalanceMinor,
        BigInteger closingBalanceMinor,
        BigInteger creditsMinor,
        BigInteger debitsMinor,
        List<HistoryEntry> entries) {

    public AccountStatement {
        entries = List.copyOf(entries);
    }
}
