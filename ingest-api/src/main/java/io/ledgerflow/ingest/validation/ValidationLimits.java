package io.ledgerflow.ingest.validation;

import io.ledgerflow.schemas.money.MinorUnits;
import java.time.Duration;

/**
 * Bounds applied to every submitted movement.
 *
 * @param maxAmountMinor largest amount in minor units (default 10^15, ten trillion dollars in
 *     cents): keeps sums far from {@code long} overflow and catches unit mistakes
 * @param maxFutureSkew how far an event time may lie ahead of the API's clock (partner clock skew)
 * @param maxPastAge how old an event time may be; older events would land in windows the aggregates
 *     have long closed
 * @param maxMetadataEntries most metadata entries per movement (default 20); metadata is copied to
 *     every result and ledger entry of the movement and stored with each, so it stays small
 * @param maxMetadataKeyLength longest metadata key (default 40)
 * @param maxMetadataValueLength longest metadata value (default 500)
 * @param maxHoldExpiry the longest expiry a HOLD may ask for ({@code holdExpiresInSeconds}); keep
 *     it at most the ledger's {@code --max-hold-expiry}, which refuses longer ones again
 */
public record ValidationLimits(
        long maxAmountMinor,
        Duration maxFutureSkew,
        Duration maxPastAge,
        int maxMetadataEntries,
        int maxMetadataKeyLength,
        int maxMetadataValueLength,
        Duration maxHoldExpiry) {

    /** The default {@code LEDGERFLOW_MAX_HOLD_EXPIRY}, the ledger's default maximum too. */
    public static final Duration DEFAULT_MAX_HOLD_EXPIRY = Duration.ofDays(30);

    public static final ValidationLimits DEFAULTS =
            new ValidationLimits(
                    MinorUnits.DEFAULT_MAXIMUM_MINOR,
                    Duration.ofMinutes(5),
                    Duration.ofDays(30),
                    20,
                    40,
                    500,
                    DEFAULT_MAX_HOLD_EXPIRY);

    /** With the default maximum hold expiry. */
    public ValidationLimits(
            long maxAmountMinor,
            Duration maxFutureSkew,
            Duration maxPastAge,
            int maxMetadataEntries,
            int maxMetadataKeyLength,
            int maxMetadataValueLength) {
        this(
                maxAmountMinor,
                maxFutureSkew,
                maxPastAge,
                maxMetadataEntries,
                maxMetadataKeyLength,
                maxMetadataValueLength,
                DEFAULT_MAX_HOLD_EXPIRY);
    }
}
