package io.ledgerflow.sinks.testutils;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.time.Instant;

/** Ledger decisions written by hand, for tests that need exact, known figures. */
public final class Decisions {

    private Decisions() {}

    /**
     * A result as the ledger would commit it; {@code at} is the movement's event time ({@code
     * 2026-03-02T10:00:05Z}), received and decided a moment later.
     */
    public static TransactionResult result(
            String transactionId,
            String at,
            String partnerId,
            String currency,
            MovementType type,
            TransactionStatus status,
            ReasonCode reason,
            String sourceAccountId,
            String destinationAccountId,
            long amountMinor) {
        Instant eventTime = Instant.parse(at);
        return TransactionResult.newBuilder()
                .setTransactionId(transactionId)
                .setPartnerId(partnerId)
                .setType(type)
                .setStatus(status)
                .setReason(reason)
                .setReasonDetail(reason == null ? null : "test " + reason)
                .setSourceAccountId(sourceAccountId)
                .setDestinationAccountId(destinationAccountId)
                .setRelatedTransactionId(null)
                .setAmountMinor(amountMinor)
                .setCurrency(currency)
                .setEventTime(eventTime)
                .setReceivedTime(eventTime.plusMillis(5))
                .setDecisionTime(eventTime.plusMillis(9))
                .build();
    }

    /** A COMPLETED transfer. */
    public static TransactionResult transfer(
            String transactionId,
            String at,
            String partnerId,
            String from,
            String to,
            long amount) {
        return result(
                transactionId,
                at,
                partnerId,
                "EUR",
                MovementType.TRANSFER,
                TransactionStatus.COMPLETED,
                null,
                from,
                to,
                amount);
    }
}
