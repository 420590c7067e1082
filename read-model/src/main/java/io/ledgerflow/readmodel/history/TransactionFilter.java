package io.ledgerflow.readmodel.history;

import java.time.Instant;
import java.util.Map;

/**
 * A transaction history query of one partner. Every member but {@code partnerId} and {@code limit}
 * may be null (no filter); times are a half-open range [from, to) on the received time.
 *
 * @param accountId transactions whose source or destination is this account
 * @param type a movement type (TRANSFER, HOLD, ...)
 * @param status a ledger status (COMPLETED, HELD, ...)
 * @param metadata key/value pairs every returned transaction's metadata contains (empty: none)
 * @param limit rows per page
 * @param after the previous page's last row; null for the first page
 */
public record TransactionFilter(
        String partnerId,
        String accountId,
        String type,
        String status,
        Instant from,
        Instant to,
        Map<String, String> metadata,
        int limit,
        TransactionPosition after) {

    public TransactionFilter {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
