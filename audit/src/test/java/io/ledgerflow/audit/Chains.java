package io.ledgerflow.audit;

import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Valid hash chains for tests, built the way the ledger builds them. */
final class Chains {

    private Chains() {}

    /** {@code length} deposits of 100 on {@code account}, hash format {@code format}. */
    static List<LedgerEntry> deposits(String partner, String account, int length, int format) {
        List<LedgerEntry> chain = new ArrayList<>();
        String previous = LedgerEntryHash.GENESIS;
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        for (int s = 1; s <= length; s++) {
            LedgerEntry e =
                    LedgerEntry.newBuilder()
                            .setAccountId(account)
                            .setSequence(s)
                            .setTransactionId(account + "-dep-" + s)
                            .setPartnerId(partner)
                            .setMovementType(MovementType.DEPOSIT)
                            .setDirection(EntryDirection.CREDIT)
                            .setAmountMinor(100)
                            .setCurrency("EUR")
                            .setBalanceAfterMinor(100L * s)
                            .setCounterpartyAccountId("SYSTEM-EUR-0")
                            .setEventTime(t.plusSeconds(s))
                            .setPostedTime(t.plusSeconds(s))
                            .setPreviousHash(previous)
                            .setHash("")
                            .setHashFormat(format)
                            .build();
            e.setHash(LedgerEntryHash.of(e));
            previous = e.getHash();
            chain.add(e);
        }
        return chain;
    }

    /** The same entry with its amount changed, and (if {@code rehash}) its own hash recomputed. */
    static LedgerEntry altered(LedgerEntry e, long amount, boolean rehash) {
        LedgerEntry changed = LedgerEntry.newBuilder(e).setAmountMinor(amount).build();
        if (rehash) {
            changed.setHash(LedgerEntryHash.of(changed));
        }
        return changed;
    }
}
