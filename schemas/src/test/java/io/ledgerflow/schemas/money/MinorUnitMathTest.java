package io.ledgerflow.schemas.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every operation against exact {@link BigInteger} arithmetic, with the extremes favoured. */
class MinorUnitMathTest {

    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);

    @Provide
    Arbitrary<Long> extremes() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        Long.MAX_VALUE,
                        Long.MAX_VALUE - 1,
                        Long.MIN_VALUE,
                        Long.MIN_VALUE + 1,
                        0L,
                        1L,
                        -1L,
                        Long.MAX_VALUE / 2,
                        Long.MAX_VALUE / 2 + 1,
                        Long.MIN_VALUE / 2),
                Arbitraries.longs());
    }

    @Property
    void fitsSumSaysExactlyWhetherTheSumFits(
            @ForAll("extremes") long a, @ForAll("extremes") long b) {
        BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
        assertThat(MinorUnitMath.fitsSum(a, b)).isEqualTo(exact.bitLength() < 64);
    }

    @Property
    void saturatedAddIsExactOrClamped(@ForAll("extremes") long a, @ForAll("extremes") long b) {
        BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
        assertThat(MinorUnitMath.saturatedAdd(a, b)).isEqualTo(clamp(exact));
    }

    @Property
    void saturatedSubtractIsExactOrClamped(@ForAll("extremes") long a, @ForAll("extremes") long b) {
        BigInteger exact = BigInteger.valueOf(a).subtract(BigInteger.valueOf(b));
        assertThat(MinorUnitMath.saturatedSubtract(a, b)).isEqualTo(clamp(exact));
    }

    @Property
    void compareProductsIsExact(
            @ForAll("extremes") long a,
            @ForAll("extremes") long b,
            @ForAll("extremes") long c,
            @ForAll("extremes") long d) {
        BigInteger left = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        BigInteger right = BigInteger.valueOf(c).multiply(BigInteger.valueOf(d));
        assertThat(Integer.signum(MinorUnitMath.compareProducts(a, b, c, d)))
                .isEqualTo(left.compareTo(right));
    }

    private static long clamp(BigInteger exact) {
        return exact.max(MIN).min(MAX).longValueExact();
    }
}
