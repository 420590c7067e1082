package io.ledgerflow.readmodel.history;

import java.time.Instant;

/**
 * A page of one account's ledger entries, in sequence order; {@code from} and {@code to} (either
 * may be null) bound the posted time as a half-open range [from, to).
 *
 * @param after the previous page's last entry; null for the first page
 */
public record EntryFilter(
        String accountId, Instant from, Instant to, int limit, EntryPosition after) {}
