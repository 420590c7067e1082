package io.ledgerflow.audit;

import io.ledgerflow.avro.LedgerEntry;

/**
 * The first place where an account's hash chain does not hold, with the entry that breaks it.
 *
 * @param kind what is wrong
 * @param accountId the account whose chain breaks
 * @param sequence the sequence number of the entry that breaks it (as stored)
 * @param detail what was expected and what was found, for people
 * @param entry the entry as stored
 */
public record ChainBreak(
        Kind kind, String accountId, long sequence, String detail, LedgerEntry entry) {

    /** What can be wrong with a chain, in the order the verifier checks an entry. */
    public enum Kind {
        /** The account's first entry is not sequence 1 (entries before it are missing). */
        MISSING_START,
        /** A sequence number was skipped: entries are missing (deleted, or never written). */
        MISSING_ENTRIES,
        /** A sequence number repeats or goes back: an entry was duplicated or reordered. */
        OUT_OF_ORDER,
        /** The entry's previous hash is not its predecessor's hash: an entry was replaced. */
        BROKEN_LINK,
        /** The entry's hash is not the hash of its content: the entry was altered. */
        ALTERED_ENTRY,
        /** The entry's hash format is newer than this verifier: neither valid nor proven wrong. */
        UNKNOWN_FORMAT
    }

    /** One line for a person: the break, then the entry's fields. */
    public String describe() {
        return kind
                + " at "
                + accountId
                + "#"
                + sequence
                + ": "
                + detail
                + System.lineSeparator()
                + "  entry: transaction "
                + entry.getTransactionId()
                + ", "
                + entry.getDirection()
                + " "
                + entry.getAmountMinor()
                + " "
                + entry.getCurrency()
                + ", balance after "
                + (entry.getWideBalanceAfter() != null
                        ? entry.getWideBalanceAfter().toPlainString()
                        : Long.toString(entry.getBalanceAfterMinor()))
                + ", posted "
                + entry.getPostedTime()
                + ", hash format "
                + entry.getHashFormat()
                + System.lineSeparator()
                + "  previous hash "
                + entry.getPreviousHash()
                + System.lineSeparator()
                + "  hash          "
                + entry.getHash();
    }
}
