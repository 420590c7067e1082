package io.ledgerflow.sinks.reconcile;

import java.time.Instant;

/**
 * One mismatch a reconciliation round sees: what is wrong ({@link Kind}), where (partner, currency,
 * window, and for a chain break the account), what the ledger's committed entries say and what the
 * store has. Its identity is {@link #key()}: the same mismatch seen by a later round is the same
 * row in the {@code reconciliation} table, so it keeps its first-seen time and ages.
 *
 * @param partnerId the partner, or {@code ""} for the platform as a whole (sum to zero)
 * @param subject the account of a chain break, {@code ""} otherwise
 */
public record Finding(
        Kind kind,
        String partnerId,
        String currency,
        Instant windowStart,
        Instant windowEnd,
        String subject,
        String expected,
        String found,
        String detail) {

    /** What can be wrong. The store is part of the kind, so that one query names who lags. */
    public enum Kind {
        /** The store has fewer entries in the window than the ledger committed. */
        MISSING_IN_POSTGRES,
        MISSING_IN_CLICKHOUSE,
        /** The store has more entries in the window than the ledger committed. */
        EXTRA_IN_POSTGRES,
        EXTRA_IN_CLICKHOUSE,
        /** As many entries as committed, but their amounts add up to another figure. */
        AMOUNT_MISMATCH_POSTGRES,
        AMOUNT_MISMATCH_CLICKHOUSE,
        /**
         * Transactions whose first entry was posted in the window, older than the settle lag, whose
         * credits and debits in a currency do not add up to zero (a leg is missing).
         */
        SUM_NOT_ZERO,
        /** An account's hash chain in the committed entries topic does not hold. */
        CHAIN_BREAK
    }

    /** The identity of the mismatch: the primary key of the {@code reconciliation} table. */
    public record Key(
            Kind kind, String partnerId, String currency, Instant windowStart, String subject) {}

    public Key key() {
        return new Key(kind, partnerId, currency, windowStart, subject);
    }
}
