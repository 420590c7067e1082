package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.MovementType;
import java.time.Instant;
import java.util.Map;

/**
 * A transaction's status as a view knows it.
 *
 * @param status {@code ACCEPTED} (written to Kafka, not yet decided) or one of the ledger's {@code
 *     TransactionStatus} names once a read model knows the decision
 * @param reason the ledger's {@code ReasonCode} when rejected; null otherwise
 * @param reasonDetail the ledger's plain-language detail of a rejection; null otherwise
 * @param acceptedAt when the API accepted the request (from the read model: when the API received
 *     it; from the API's memory: when Kafka acknowledged it)
 * @param decidedAt when the ledger decided; null while only accepted
 * @param metadata the partner's metadata of the movement, empty when it had none; null while only
 *     accepted (the API's memory of what it accepted keeps no metadata: it holds up to a million
 *     ids, and metadata may be ten kilobytes)
 * @param externalReference the partner's reference of the movement; null when none, or while only
 *     accepted
 */
public record TransactionStatusRecord(
        String transactionId,
        String partnerId,
        MovementType type,
        String status,
        String reason,
        String reasonDetail,
        long amountMinor,
        String currency,
        Instant acceptedAt,
        Instant decidedAt,
        Map<String, String> metadata,
        String externalReference) {

    public static final String ACCEPTED = "ACCEPTED";
}
