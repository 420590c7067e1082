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
 * @param maxMetadataEntries most metadata entries per movement
 * @param maxMetadataKeyLength longest metadata key
 * @param maxMetadataValueLength longest metadata value
 */
public record ValidationLimits(
        long maxAmountMinor,
        Duration maxFutureSkew,
        Duration maxPastAge,
        int maxMetadataEntries,
        int maxMetadataKeyLength,
        int maxMetadataValueLength) {

    public static final ValidationLimits DEFAULTS =
            new ValidationLimits(
                    MinorUnits.DEFAULT_MAXIMUM_MINOR,
                    Duration.ofMinutes(5),
                    Duration.ofDays(30),
                    32,
                    64,
                    512);
}
