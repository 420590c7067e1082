package io.ledgerflow.readmodel;

import java.time.Instant;
import java.util.Map;

/**
 * A transaction as the read model holds it. {@code reason} and the account/related ids may be null;
 * {@code durableTime} is when the current status was written to the read model. {@code metadata}
 * (empty when none, in key order) and {@code externalReference} (null when none) are the partner's
 * annotations of the movement, as its first result wrote them: a HOLD keeps its own after it is
 * captured, voided or expires.
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
        Instant durableTime,
        Map<String, String> metadata,
        String externalReference) {

    /** A transaction without annotations: no metadata, no external reference. */
    public TransactionView(
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
        this(
                partnerId,
                transactionId,
                type,
                status,
                reason,
                reasonDetail,
                sourceAccountId,
                destinationAccountId,
                relatedTransactionId,
                amountMinor,
                currency,
                eventTime,
                receivedTime,
                decidedTime,
                durableTime,
                Map.of(),
                null);
    }

    /** HELD is the only status a transaction leaves again. */
    public boolean terminal() {
        return !"HELD".equals(status);
    }
}
