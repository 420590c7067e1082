package io.ledgerflow.readmodel.history;

import java.time.Instant;

/**
 * Where a page of an account's entries ended. Entries are listed in sequence order; because the
 * ledger posts an account's entries in sequence order with non-decreasing posted times, that is
 * also (posted time, sequence) order, which the index (account_id, posted_time, sequence) serves
 * and the monthly partitions by posted time prune. The key carries both.
 */
public record EntryPosition(Instant postedTime, long sequence) {}
