package io.ledgerflow.schemas;

import io.ledgerflow.avro.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of an account's ledger entries: each entry's hash is SHA-256 over the previous
 * entry's hash and this entry's content, so changing, removing or reordering any entry breaks every
 * later hash. The ledger job computes it; checkers and auditors recompute it.
 */
public final class LedgerEntryHash {

    /** The previous hash of an account's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private LedgerEntryHash() {}

    /** The hash {@code entry} must carry, given its fields and its {@code previousHash}. */
    public static String of(LedgerEntry entry) {
        String content =
                String.join(
                        "|",
                        entry.getPreviousHash(),
                        entry.getAccountId(),
                        Long.toString(entry.getSequence()),
                        entry.getTransactionId(),
                        entry.getPartnerId(),
                        entry.getMovementType().name(),
                        entry.getDirection().name(),
                        Long.toString(entry.getAmountMinor()),
                        entry.getCurrency(),
                        exactBalanceAfter(entry),
                        entry.getCounterpartyAccountId(),
                        Boolean.toString(entry.getReversal()),
                        Long.toString(entry.getEventTime().toEpochMilli()),
                        Long.toString(entry.getPostedTime().toEpochMilli()));
        // digest() resets the instance, so the thread's one is ready for the next entry.
        return HexFormat.of()
                .formatHex(SHA256.get().digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Per thread: looking SHA-256 up through the security providers for every entry showed. */
    private static final ThreadLocal<MessageDigest> SHA256 =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            return MessageDigest.getInstance("SHA-256");
                        } catch (NoSuchAlgorithmException e) {
                            throw new IllegalStateException("every JVM has SHA-256", e);
                        }
                    });

    /**
     * The balance after the posting as the hash covers it: the exact figure in decimal. For every
     * entry whose balance fits 64 bits (all customer accounts, and every entry written before wide
     * balances existed) that is {@code balanceAfterMinor}, so their hashes are unchanged; a system
     * account beyond the 64-bit range is covered by its exact wide balance, not the saturated long.
     */
    private static String exactBalanceAfter(LedgerEntry entry) {
        return entry.getWideBalanceAfter() != null
                ? entry.getWideBalanceAfter().toBigIntegerExact().toString()
                : Long.toString(entry.getBalanceAfterMinor());
    }

    /** True if {@code entry} carries the hash of its own content and previous hash. */
    public static boolean isValid(LedgerEntry entry) {
        return of(entry).equals(entry.getHash());
    }
}
