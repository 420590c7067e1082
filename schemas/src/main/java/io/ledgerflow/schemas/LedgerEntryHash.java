package io.ledgerflow.schemas;

import io.ledgerflow.avro.LedgerEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of an account's ledger entries: each entry's hash is SHA-256 over the previous
 * entry's hash and this entry's content, so changing, removing or reordering any entry breaks every
 * later hash. The ledger job computes it; checkers and auditors recompute it. How the content is
 * laid out is versioned by the entry's {@code hashFormat}, and every format ever written stays
 * verifiable.
 *
 * <p>The partner's annotations, {@code metadata} and {@code externalReference}, are in no format:
 * they describe the movement rather than the money, and adding them to the input would have needed
 * a new format for a field that entries before it lack. The hash proves the postings, not the
 * annotations.
 */
public final class LedgerEntryHash {

    /** The previous hash of an account's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private LedgerEntryHash() {}

    /**
     * Format 1: the fields joined with {@code |}. Ambiguous: ids that reach the ledger straight
     * from Kafka are not restricted, so {@code a|b} + {@code c} and {@code a} + {@code b|c} give
     * the same input. Entries written before {@code hashFormat} existed read as format 1 and stay
     * verifiable.
     */
    public static final int JOINED_FORMAT = 1;

    /**
     * Format 2: the format number, then every field in a fixed order, each string as its UTF-8
     * length (4 bytes, big-endian; -1 for none) followed by its bytes, each number as 8 bytes and
     * the flag as one byte. No two different entries have the same input.
     */
    public static final int LENGTH_PREFIXED_FORMAT = 2;

    /** The format the ledger writes. */
    public static final int CURRENT_FORMAT = LENGTH_PREFIXED_FORMAT;

    /**
     * The hash {@code entry} must carry, given its fields, its {@code previousHash} and its {@code
     * hashFormat}.
     *
     * @throws IllegalArgumentException for a format this code does not know (a newer writer): such
     *     an entry is neither valid nor proven tampered
     */
    public static String of(LedgerEntry entry) {
        MessageDigest sha256 = SHA256.get();
        switch (entry.getHashFormat()) {
            case JOINED_FORMAT -> sha256.update(joined(entry).getBytes(StandardCharsets.UTF_8));
            case LENGTH_PREFIXED_FORMAT -> lengthPrefixed(entry, sha256);
            default ->
                    throw new IllegalArgumentException(
                            "entry "
                                    + entry.getAccountId()
                                    + "#"
                                    + entry.getSequence()
                                    + " has hash format "
                                    + entry.getHashFormat()
                                    + ", newer than this verifier knows");
        }
        // digest() resets the instance, so the thread's one is ready for the next entry.
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String joined(LedgerEntry entry) {
        return String.join(
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
    }

    private static void lengthPrefixed(LedgerEntry entry, MessageDigest sha256) {
        ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES);
        scratch.putInt(LENGTH_PREFIXED_FORMAT);
        sha256.update(scratch.array(), 0, Integer.BYTES);
        string(sha256, scratch, entry.getPreviousHash());
        string(sha256, scratch, entry.getAccountId());
        number(sha256, scratch, entry.getSequence());
        string(sha256, scratch, entry.getTransactionId());
        string(sha256, scratch, entry.getPartnerId());
        string(sha256, scratch, entry.getMovementType().name());
        string(sha256, scratch, entry.getDirection().name());
        number(sha256, scratch, entry.getAmountMinor());
        string(sha256, scratch, entry.getCurrency());
        string(sha256, scratch, exactBalanceAfter(entry));
        string(sha256, scratch, entry.getCounterpartyAccountId());
        sha256.update(entry.getReversal() ? (byte) 1 : (byte) 0);
        number(sha256, scratch, entry.getEventTime().toEpochMilli());
        number(sha256, scratch, entry.getPostedTime().toEpochMilli());
    }

    private static void string(MessageDigest sha256, ByteBuffer scratch, CharSequence value) {
        scratch.clear();
        if (value == null) {
            scratch.putInt(-1);
            sha256.update(scratch.array(), 0, Integer.BYTES);
            return;
        }
        byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
        scratch.putInt(bytes.length);
        sha256.update(scratch.array(), 0, Integer.BYTES);
        sha256.update(bytes);
    }

    private static void number(MessageDigest sha256, ByteBuffer scratch, long value) {
        scratch.clear();
        scratch.putLong(value);
        sha256.update(scratch.array(), 0, Long.BYTES);
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
