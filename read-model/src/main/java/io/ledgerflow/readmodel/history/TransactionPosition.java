package io.ledgerflow.readmodel.history;

import java.time.Instant;

/**
 * Where a page of transaction history ended: the history is ordered newest first by (received time,
 * transaction id), a total order within a partner, so the next page is every row strictly below
 * this key. Rows never move in that order (a status change updates the row in place, the received
 * time never changes), which is why keyset paging neither repeats nor skips a row.
 */
public record TransactionPosition(Instant receivedTime, String transactionId) {}
