package io.ledgerflow.ingest.validation;

import io.ledgerflow.avro.MovementType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A money movement as a partner submitted it, after validation: amounts already in minor units,
 * accounts checked against the movement type. {@code eventTime} is null when the partner left it
 * out (the API then uses the time it accepted the movement). {@code holdExpiresInMillis} is a
 * HOLD's own expiry, null when it leaves it to the ledger's default. {@code externalReference} is
 * the partner's own reference for the movement (an invoice or order number), null when it gave
 * none.
 */
public record MovementSubmission(
        String transactionId,
        MovementType type,
        String sourceAccountId,
        String destinationAccountId,
        String relatedTransactionId,
        long amountMinor,
        String currency,
        Instant eventTime,
        Map<String, String> metadata,
        Long holdExpiresInMillis,
        String externalReference) {

    /** A movement without an external reference. */
    public MovementSubmission(
            String transactionId,
            MovementType type,
            String sourceAccountId,
            String destinationAccountId,
            String relatedTransactionId,
            long amountMinor,
            String currency,
            Instant eventTime,
            Map<String, String> metadata,
            Long holdExpiresInMillis) {
        this(
                transactionId,
                type,
                sourceAccountId,
                destinationAccountId,
                relatedTransactionId,
                amountMinor,
                currency,
                eventTime,
                metadata,
                holdExpiresInMillis,
                null);
    }

    /** A movement without a hold expiry of its own and without an external reference. */
    public MovementSubmission(
            String transactionId,
            MovementType type,
            String sourceAccountId,
            String destinationAccountId,
            String relatedTransactionId,
            long amountMinor,
            String currency,
            Instant eventTime,
            Map<String, String> metadata) {
        this(
                transactionId,
                type,
                sourceAccountId,
                destinationAccountId,
                relatedTransactionId,
                amountMinor,
                currency,
                eventTime,
                metadata,
                null,
                null);
    }

    /**
     * The account the ledger acts on first, which is the Kafka record key: source for TRANSFER,
     * WITHDRAWAL, HOLD, CAPTURE, VOID and REFUND; destination for DEPOSIT. Keying by it keeps one
     * account's movements in order on one partition.
     */
    public String ledgerKey() {
        return type == MovementType.DEPOSIT ? destinationAccountId : sourceAccountId;
    }

    /**
     * SHA-256 over the canonical form of the submission: what decides whether a repeated
     * transaction id carries "the same payload". Canonical means after parsing, so {@code "12.3"}
     * and {@code "12.30"} USD or a reordered metadata object count as the same payload, while a
     * missing {@code eventTime} differs from an explicit one.
     */
    public byte[] fingerprint() {
        StringBuilder canonical = new StringBuilder(160);
        canonical
                .append(transactionId)
                .append('\u0000')
                .append(type)
                .append('\u0000')
                .append(sourceAccountId)
                .append('\u0000')
                .append(destinationAccountId)
                .append('\u0000')
                .append(relatedTransactionId)
                .append('\u0000')
                .append(amountMinor)
                .append('\u0000')
                .append(currency)
                .append('\u0000')
                .append(eventTime == null ? "-" : Long.toString(eventTime.toEpochMilli()));
        if (holdExpiresInMillis != null) {
            // Only when given, so that movements without it keep the fingerprint they had.
            canonical.append('\u0000').append("holdExpiresIn=").append(holdExpiresInMillis);
        }
        if (externalReference != null) {
            // Likewise only when given. '#' cannot start a metadata key, so no metadata entry
            // can spell the same canonical text.
            canonical.append('\u0000').append("#externalReference=").append(externalReference);
        }
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            canonical.append('\u0000').append(e.getKey()).append('=').append(e.getValue());
        }
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
