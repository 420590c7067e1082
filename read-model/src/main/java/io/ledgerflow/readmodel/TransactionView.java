package io.ledgerflow.readmodel;

import java.time.Instant;

/**
 * A transaction as the read model holds it. {@code reason} and the account/related ids may be null;
 * {@code durableTime} is when the current status was written to the read model.
 */
public record TransactionView(
        String partnerId,
        String transactionId,
        String type,
        String status,
        String reason,
        String reasonDetail,
        String sourceAccountId,
        String destinationAccountId,
        String relatedTransactionId,
        long amountMinor,
        String currency,
        Instant eventTime,
        Instant receivedTime,
        Instant decidedTime,
        Instant durableTime) {

    /** HELD is the only status a transaction leaves again. */
    public boolean terminal() {
        return !"HELD".equals(status);
    }
}
