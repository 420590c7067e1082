package io.ledgerflow.audit;

import io.ledgerflow.audit.ChainBreak.Kind;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies accounts' hash chains from their entries, given in sequence order per account (accounts
 * may interleave, as they do in the entries topic). Per account: sequence numbers gap-free from 1,
 * each entry's previous hash equal to its predecessor's hash, and each hash equal to the hash of
 * the entry's content in its own format ({@link LedgerEntryHash}, every format ever written). The
 * first break of an account is reported and the rest of that account is skipped: after a break,
 * every later entry would only repeat it.
 *
 * <p>Plain Java with no I/O: the sources ({@link PostgresEntries}, {@link KafkaEntries}) feed it.
 */
public final class HashChainVerifier {

    /** Where an account's chain stands: the next sequence expected and the last hash seen. */
    private record Link(long nextSequence, String lastHash) {}

    private final boolean trustFirst;
    private final Map<String, Link> accounts = new HashMap<>();
    private final Set<String> broken = new HashSet<>();
    private final List<ChainBreak> breaks = new ArrayList<>();
    private long entries;

    /**
     * @param trustFirst take each account's first entry as the anchor even if it is not sequence 1
     *     (months dropped by retention, or a topic whose oldest segments were deleted); its own
     *     hash is still checked. False: a chain must start at 1 with the genesis hash.
     */
    public HashChainVerifier(boolean trustFirst) {
        this.trustFirst = trustFirst;
    }

    /** Checks the next entry of its account; returns the break it reveals, or null. */
    public ChainBreak accept(LedgerEntry e) {
        entries++;
        String account = e.getAccountId();
        if (broken.contains(account)) {
            return null;
        }
        Link link = accounts.get(account);
        ChainBreak found = check(e, link);
        if (found != null) {
            broken.add(account);
            breaks.add(found);
            return found;
        }
        accounts.put(account, new Link(e.getSequence() + 1, e.getHash()));
        return null;
    }

    private ChainBreak check(LedgerEntry e, Link link) {
        long sequence = e.getSequence();
        if (link == null) {
            if (sequence != 1 && !trustFirst) {
                return brk(
                        Kind.MISSING_START,
                        e,
                        "the first entry found is #" + sequence + ", not #1");
            }
            if (sequence == 1 && !LedgerEntryHash.GENESIS.equals(e.getPreviousHash())) {
                return brk(Kind.BROKEN_LINK, e, "entry #1 does not start from the genesis hash");
            }
        } else if (sequence > link.nextSequence()) {
            return brk(
                    Kind.MISSING_ENTRIES,
                    e,
                    "expected #"
                            + link.nextSequence()
                            + "; entries #"
                            + link.nextSequence()
                            + " to #"
                            + (sequence - 1)
                            + " are missing");
        } else if (sequence < link.nextSequence()) {
            return brk(
                    Kind.OUT_OF_ORDER,
                    e,
                    "expected #" + link.nextSequence() + "; #" + sequence + " comes again");
        } else if (!link.lastHash().equals(e.getPreviousHash())) {
            return brk(
                    Kind.BROKEN_LINK,
                    e,
                    "its previous hash is not the hash of #"
                            + (sequence - 1)
                            + " ("
                            + link.lastHash()
                            + "): #"
                            + (sequence - 1)
                            + " or this entry was replaced");
        }
        String expected;
        try {
            expected = LedgerEntryHash.of(e);
        } catch (IllegalArgumentException newerFormat) {
            return brk(Kind.UNKNOWN_FORMAT, e, newerFormat.getMessage());
        }
        if (!expected.equals(e.getHash())) {
            return brk(
                    Kind.ALTERED_ENTRY,
                    e,
                    "its content hashes to " + expected + ", not to its stored hash");
        }
        return null;
    }

    private static ChainBreak brk(Kind kind, LedgerEntry e, String detail) {
        return new ChainBreak(kind, e.getAccountId(), e.getSequence(), detail, e);
    }

    /** Every break found so far, one per broken account, in the order found. */
    public List<ChainBreak> breaks() {
        return List.copyOf(breaks);
    }

    /** Entries read so far. */
    public long entries() {
        return entries;
    }

    /** Accounts seen so far. */
    public int accounts() {
        return accounts.size()
                + (int) broken.stream().filter(a -> !accounts.containsKey(a)).count();
    }
}
