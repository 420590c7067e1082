package io.ledgerflow.jobs.results;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.time.Instant;

/**
 * Why the ledger refuses something: a machine-readable code and a sentence for people. Every stage
 * that may refuse a request gives it (the ledger's rules, admission's shape check, the fraud
 * screen's BLOCK rules), so it lives apart from all of them.
 */
public record Rejection(ReasonCode reason, String detail) {

    public static Rejection of(ReasonCode reason, String detail) {
        return new Rejection(reason, detail);
    }

    /**
     * The terminal result of a movement refused before it reached an account (by the gate for its
     * shape, by the fraud screen): REJECTED, nothing posted; with the movement's metadata and
     * external reference, as every result of a movement.
     */
    public TransactionResult resultFor(MoneyMovement m, Instant decided) {
        return TransactionResult.newBuilder()
                .setTransactionId(m.getTransactionId())
                .setPartnerId(m.getPartnerId())
                .setType(m.getType())
                .setStatus(TransactionStatus.REJECTED)
                .setReason(reason)
                .setReasonDetail(detail)
                .setSourceAccountId(m.getSourceAccountId())
                .setDestinationAccountId(m.getDestinationAccountId())
                .setRelatedTransactionId(m.getRelatedTransactionId())
                .setAmountMinor(m.getAmountMinor())
                .setCurrency(m.getCurrency())
                .setEventTime(m.getEventTime())
                .setReceivedTime(m.getReceivedTime())
                .setDecisionTime(decided)
                // The movement's own map, not a copy: the result is encoded, never changed.
                .setMetadata(m.getMetadata())
                .setExternalReference(m.getExternalReference())
                .build();
    }
}
