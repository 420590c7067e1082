package io.ledgerflow.readmodel.settlement;

import java.math.BigInteger;

/**
 * A fee schedule's rule for one movement type in one currency.
 *
 * <p>The rounding rule, the only one the platform uses: the percentage part {@code amount *
 * percentBp / 10,000} is rounded to a whole minor unit half-to-even (banker's rounding: 0.5 goes to
 * the even neighbour, so many fees do not drift upwards together), then the fixed part is added,
 * then the sum is clamped to {@code [min, max]} where a bound is set. Every step is exact integer
 * arithmetic on minor units; no floating point.
 *
 * @param movementType a {@code MovementType} symbol ({@code TRANSFER}, {@code CAPTURE}, ...)
 * @param currency ISO 4217 code; the fixed amount and the bounds are in its minor units
 * @param percentBp the percentage in basis points (1 bp = 0.01 %), 0 to 10,000
 * @param fixedMinor fixed amount per posting, 0 or more
 * @param minMinor the least fee, or null for none
 * @param maxMinor the greatest fee, or null for none
 */
public record FeeRule(
        String movementType,
        String currency,
        int percentBp,
        long fixedMinor,
        Long minMinor,
        Long maxMinor) {

    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    public FeeRule {
        if (movementType == null || !movementType.matches("[A-Z_]{1,20}")) {
            throw new IllegalArgumentException(
                    "movementType must be a movement type; got " + movementType);
        }
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException(
                    "currency must be an ISO 4217 code; got " + currency);
        }
        if (percentBp < 0 || percentBp > 10_000) {
            throw new IllegalArgumentException("percentBp must be 0 to 10000; got " + percentBp);
        }
        if (fixedMinor < 0) {
            throw new IllegalArgumentException("fixedMinor must be 0 or more; got " + fixedMinor);
        }
        if (minMinor != null && minMinor < 0 || maxMinor != null && maxMinor < 0) {
            throw new IllegalArgumentException("minMinor and maxMinor must be 0 or more");
        }
        if (minMinor != null && maxMinor != null && minMinor > maxMinor) {
            throw new IllegalArgumentException(
                    "minMinor must not exceed maxMinor; got " + minMinor + " > " + maxMinor);
        }
    }

    /** The fee on one posting of {@code amountMinor} (positive), by the rule in the class doc. */
    public long feeFor(long amountMinor) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amountMinor must be positive; got " + amountMinor);
        }
        long fee = Math.addExact(percentPart(amountMinor), fixedMinor);
        if (minMinor != null && fee < minMinor) {
            fee = minMinor;
        }
        if (maxMinor != null && fee > maxMinor) {
            fee = maxMinor;
        }
        return fee;
    }

    /** {@code amount * percentBp / 10,000} rounded half-to-even, exactly. */
    long percentPart(long amountMinor) {
        BigInteger[] qr =
                BigInteger.valueOf(amountMinor)
                        .multiply(BigInteger.valueOf(percentBp))
                        .divideAndRemainder(TEN_THOUSAND);
        BigInteger quotient = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(TEN_THOUSAND);
        if (half > 0 || half == 0 && quotient.testBit(0)) {
            quotient = quotient.add(BigInteger.ONE);
        }
        return quotient.longValueExact();
    }
}
