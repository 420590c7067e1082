package io.ledgerflow.schemas.money;

/**
 * Arithmetic on amounts in minor units that never wraps around and never throws.
 *
 * <p>Amounts and balances are 64-bit; a partner (or an upstream producer on Kafka) can send amounts
 * up to {@link Long#MAX_VALUE}, so any sum, product or difference of them may leave the range.
 * Java's {@code long} arithmetic then silently wraps (a large total turns negative and a limit
 * check passes that should fail), and {@code Math.addExact} throws, which in a streaming job is
 * worse: the task restarts, replays the same record and throws again. Rules that compare sums
 * against limits use these instead: a saturated sum is still larger than any limit, and product
 * comparisons are exact in 128 bits.
 */
public final class MinorUnitMath {

    private MinorUnitMath() {}

    /** True if {@code a + b} fits a {@code long}. */
    public static boolean fitsSum(long a, long b) {
        long r = a + b;
        // Overflow iff both operands have the sign opposite to the result's (Hacker's Delight
        // 2-13).
        return ((a ^ r) & (b ^ r)) >= 0;
    }

    /**
     * {@code a + b}, or {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} where it would pass them.
     */
    public static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /**
     * {@code a - b}, or {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} where it would pass them.
     */
    public static long saturatedSubtract(long a, long b) {
        long r = a - b;
        // Overflow iff the operands' signs differ and the result's sign differs from a's.
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /**
     * The sign of {@code a * b - c * d}, computed exactly on the 128-bit products, so a rule such
     * as "out * 100 < in * ratio" holds for any amounts.
     */
    public static int compareProducts(long a, long b, long c, long d) {
        long high1 = Math.multiplyHigh(a, b);
        long high2 = Math.multiplyHigh(c, d);
        if (high1 != high2) {
            return Long.compare(high1, high2);
        }
        return Long.compareUnsigned(a * b, c * d);
    }
}
