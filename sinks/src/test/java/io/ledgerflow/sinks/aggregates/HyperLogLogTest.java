package io.ledgerflow.sinks.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The distinct-counterparty sketch against exact counts. */
class HyperLogLogTest {

    /** 4 standard errors of precision 12 (1.04 / 64 = 1.6%). */
    private static final double MAX_RELATIVE_ERROR = 4 * 1.04 / Math.sqrt(HyperLogLog.REGISTERS);

    @Test
    void smallSetsCountExactlyAndDuplicatesCountOnce() {
        HyperLogLog sketch = new HyperLogLog();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < HyperLogLog.EXACT_LIMIT; i++) {
                sketch.add("acc-" + i);
            }
        }
        assertThat(sketch.registers).as("still exact").isNull();
        assertThat(sketch.estimate()).isEqualTo(HyperLogLog.EXACT_LIMIT);
    }

    @Test
    void estimatesStayWithinFourStandardErrorsOfExactCounts() {
        for (int n : new int[] {129, 500, 1_000, 3_000, 10_000, 20_000, 50_000, 200_000}) {
            HyperLogLog sketch = new HyperLogLog();
            for (int i = 0; i < n; i++) {
                sketch.add("account-" + n + "-" + i);
                sketch.add("account-" + n + "-" + (i / 2)); // repeats change nothing
            }
            double error = Math.abs(sketch.estimate() - n) / (double) n;
            assertThat(error)
                    .as("relative error at n = %d (estimate %d)", n, sketch.estimate())
                    .isLessThan(MAX_RELATIVE_ERROR);
        }
    }

    @Test
    void mergeEqualsTheSketchOfTheUnion() {
        // Overlapping halves, sparse with sparse, sparse with dense, dense with dense.
        for (int size : new int[] {40, 100, 5_000}) {
            HyperLogLog left = new HyperLogLog();
            HyperLogLog right = new HyperLogLog();
            HyperLogLog union = new HyperLogLog();
            for (int i = 0; i < size; i++) {
                left.add("a" + i);
                union.add("a" + i);
            }
            for (int i = size / 2; i < 2 * size; i++) {
                right.add("a" + i);
                union.add("a" + i);
            }
            HyperLogLog rightBefore = right.copy();
            HyperLogLog merged = left.copy();
            merged.merge(right);
            assertThat(merged.estimate()).as("merge of %d", size).isEqualTo(union.estimate());
            assertThat(right.estimate()).isEqualTo(rightBefore.estimate());
            assertThat(right.exact).isEqualTo(rightBefore.exact);
            assertThat(right.registers).isEqualTo(rightBefore.registers);
        }
        HyperLogLog dense = new HyperLogLog();
        for (int i = 0; i < 1_000; i++) {
            dense.add("d" + i);
        }
        HyperLogLog sparse = new HyperLogLog();
        sparse.add("d1");
        sparse.add("other");
        sparse.merge(dense);
        HyperLogLog expected = dense.copy();
        expected.add("other");
        assertThat(sparse.registers).isEqualTo(expected.registers);
    }

    @Test
    void aCopySharesNoArraysWithItsOriginal() {
        HyperLogLog original = new HyperLogLog();
        original.add("x");
        HyperLogLog copy = original.copy();
        copy.add("y");
        assertThat(original.estimate()).isEqualTo(1);
        assertThat(copy.estimate()).isEqualTo(2);
    }
}
