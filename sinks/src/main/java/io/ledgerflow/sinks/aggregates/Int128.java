package io.ledgerflow.sinks.aggregates;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Signed 128-bit sums kept as two {@code long} fields, {@code high} and {@code low}, worth {@code
 * high * 2^64 + low} with {@code low} read as a signed long. This is how {@link WindowFigures}
 * keeps its money sums exact without allocating: while a sum fits a long, {@code high} is 0 and
 * {@code low} is the plain sum, so the common path is one addition and one overflow test; a carry
 * moves {@code high} by one only when {@code low} wraps. A value fits a long exactly when {@code
 * high == 0} (otherwise its magnitude is at least {@code 2^64 - 2^63}).
 *
 * <p>Why this split rather than {@link BigInteger} state or a nested type: the fields stay the
 * {@code long totalMinor} of the state written before (now the low word) plus one new {@code long}
 * that Flink's POJO serializer fills with 0 when restoring older state, which is the exact old
 * value (see DISCUSSION.md). Range: {@code high} would need about 2^63 carries of at most one each,
 * that is more than 2^63 decisions of at most 2^63 each, to overflow; no window gets near.
 */
final class Int128 {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private Int128() {}

    /**
     * The carry into the high word of {@code low + addend}: +1 if the signed addition wrapped past
     * {@code Long.MAX_VALUE}, -1 if past {@code Long.MIN_VALUE}, else 0. {@code sum} is the wrapped
     * result {@code low + addend}.
     */
    static long carry(long low, long addend, long sum) {
        // Signed overflow iff both operands have the sign the result lacks (Math.addExact's test).
        if (((low ^ sum) & (addend ^ sum)) < 0) {
            return addend < 0 ? -1 : 1;
        }
        return 0;
    }

    /** The exact value of {@code (high, low)}. */
    static BigInteger toBigInteger(long high, long low) {
        if (high == 0) {
            return BigInteger.valueOf(low);
        }
        return BigInteger.valueOf(high).multiply(TWO_TO_64).add(BigInteger.valueOf(low));
    }

    /** The exact value of {@code (high, low)} as a decimal of scale 0, for the stores. */
    static BigDecimal toBigDecimal(long high, long low) {
        return new BigDecimal(toBigInteger(high, low));
    }
}
