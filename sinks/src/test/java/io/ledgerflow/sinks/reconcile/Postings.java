package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Committed ledger entries for tests, built the way the ledger builds them: each deposit credits
 * the partner's account and debits the currency's system account under one transaction id, and
 * every account's entries form a valid hash chain (the current hash format).
 */
final class Postings {

    private record Tip(long sequence, String hash, long balance) {}

    private final Map<String, Tip> tips = new HashMap<>();
    private final List<LedgerEntry> entries = new ArrayList<>();

    /** A deposit of {@code amount} to {@code account}, posted at {@code posted}. */
    Postings deposit(String partner, String account, String currency, long amount, Instant posted) {
        String tx = account + "-dep-" + (entries.size() + 1);
        String system = "SYSTEM-" + currency + "-0";
        entries.add(
                next(
                        partner,
                        account,
                        tx,
                        EntryDirection.CREDIT,
                        amount,
                        currency,
                        system,
                        posted));
        entries.add(
                next(
                        "platform",
                        system,
                        tx,
                        EntryDirection.DEBIT,
                        amount,
                        currency,
                        account,
                        posted));
        return this;
    }

    /**
     * Only the debit of a transfer: its credit leg never came (the ledger does not sum to zero).
     */
    Postings debitOnly(
            String partner, String account, String currency, long amount, Instant posted) {
        String tx = account + "-half-" + (entries.size() + 1);
        entries.add(
                next(
                        partner,
                        account,
                        tx,
                        EntryDirection.DEBIT,
                        amount,
                        currency,
                        "elsewhere",
                        posted));
        return this;
    }

    List<LedgerEntry> entries() {
        return List.copyOf(entries);
    }

    private LedgerEntry next(
            String partner,
            String account,
            String tx,
            EntryDirection direction,
            long amount,
            String currency,
            String counterparty,
            Instant posted) {
        Tip tip = tips.getOrDefault(account, new Tip(0, LedgerEntryHash.GENESIS, 0));
        long balance = tip.balance() + (direction == EntryDirection.CREDIT ? amount : -amount);
        LedgerEntry e =
                LedgerEntry.newBuilder()
                        .setAccountId(account)
                        .setSequence(tip.sequence() + 1)
                        .setTransactionId(tx)
                        .setPartnerId(partner)
                        .setMovementType(MovementType.DEPOSIT)
                        .setDirection(direction)
                        .setAmountMinor(amount)
                        .setCurrency(currency)
                        .setBalanceAfterMinor(balance)
                        .setCounterpartyAccountId(counterparty)
                        .setEventTime(posted)
                        .setPostedTime(posted)
                        .setPreviousHash(tip.hash())
                        .setHash("")
                        .setHashFormat(LedgerEntryHash.CURRENT_FORMAT)
                        .build();
        e.setHash(LedgerEntryHash.of(e));
        tips.put(account, new Tip(e.getSequence(), e.getHash(), balance));
        return e;
    }

    /** The same entry with its amount changed and its stored hash left as it was (tampered). */
    static LedgerEntry tampered(LedgerEntry e, long amount) {
        return LedgerEntry.newBuilder(e).setAmountMinor(amount).build();
    }
}
