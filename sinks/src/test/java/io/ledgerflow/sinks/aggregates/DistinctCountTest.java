package io.ledgerflow.sinks.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The distinct-counterparty sketch against exact counts, and its state form. */
class DistinctCountTest {

    /**
     * The documented bound (sinks DISCUSSION.md, "Distinct counts"): 4 standard errors of an HLL at
     * lgK 12, 1.04 / sqrt(4096) = 1.6% each.
     */
    private static final double MAX_RELATIVE_ERROR = 4 * 1.04 / Math.sqrt(1 << DistinctCount.LG_K);

    @Test
    void smallSetsCountExactlyAndDuplicatesCountOnce() {
        // Most windows (an account's hour, a quiet partner's minute) are small: the sketch keeps
        // coupons then, whose count is exact in practice (collisions of 26-bit coupons are rare).
        for (int n : new int[] {1, 2, 3, 10, 50, 128, 300}) {
            DistinctCount sketch = new DistinctCount();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < n; i++) {
                    sketch.add("acc-" + i);
                }
            }
            assertThat(sketch.estimate()).as("n = %d", n).isEqualTo(n);
        }
        assertThat(new DistinctCount().estimate()).isZero();
        assertThat(new DistinctCount().isEmpty()).isTrue();
    }

    @Test
    void estimatesStayWithinFourStandardErrorsOfExactCounts() {
        for (int n :
                new int[] {129, 500, 1_000, 3_000, 10_000, 20_000, 50_000, 200_000, 1_000_000}) {
            DistinctCount sketch = new DistinctCount();
            for (int i = 0; i < n; i++) {
                sketch.add("account-" + n + "-" + i);
                sketch.add("account-" + n + "-" + (i / 2)); // repeats change nothing
            }
            assertWithinBound(sketch.estimate(), n);
        }
    }

    @Test
    void mergedCountsStayWithinTheBoundAsTheCascadeBuildsThem() {
        // A day of 24 hours, each of 4 quarters, each the sketch of its own members, with members
        // shared between neighbouring quarters: the day's count against the exact union.
        int perQuarter = 2_000;
        int overlap = 500;
        DistinctCount day = new DistinctCount();
        int exact = 0;
        for (int hour = 0; hour < 24; hour++) {
            DistinctCount hourly = new DistinctCount();
            for (int quarter = 0; quarter < 4; quarter++) {
                int q = hour * 4 + quarter;
                int first = q * (perQuarter - overlap);
                DistinctCount quarterly = new DistinctCount();
                for (int i = first; i < first + perQuarter; i++) {
                    quarterly.add("acc-" + i);
                }
                hourly.merge(roundTrip(quarterly)); // children come out of state
                exact = first + perQuarter;
            }
            assertWithinBound(hourly.estimate(), 4 * (perQuarter - overlap) + overlap);
            day.merge(hourly);
        }
        assertWithinBound(day.estimate(), exact);
        assertWithinBound(roundTrip(day).estimate(), exact);
    }

    @Test
    void mergeEqualsTheSketchOfTheUnionAndLeavesTheOtherUnchanged() {
        // Overlapping halves: small with small, small with dense, dense with dense.
        for (int size : new int[] {40, 100, 5_000}) {
            DistinctCount left = new DistinctCount();
            DistinctCount right = new DistinctCount();
            DistinctCount union = new DistinctCount();
            for (int i = 0; i < size; i++) {
                left.add("a" + i);
                union.add("a" + i);
            }
            for (int i = size / 2; i < 2 * size; i++) {
                right.add("a" + i);
                union.add("a" + i);
            }
            long rightBefore = right.estimate();
            byte[] rightImage = image(right);
            DistinctCount merged = left.copy();
            merged.merge(right);
            assertWithinBound(merged.estimate(), 2 * size);
            assertThat((double) merged.estimate())
                    .as("merge of %d against the sketch of the union", size)
                    .isCloseTo(
                            union.estimate(), org.assertj.core.data.Percentage.withPercentage(2));
            assertThat(right.estimate()).isEqualTo(rightBefore);
            assertThat(image(right)).isEqualTo(rightImage);
        }
        DistinctCount small = new DistinctCount();
        small.add("d1");
        DistinctCount empty = new DistinctCount();
        empty.merge(small);
        empty.merge(new DistinctCount());
        assertThat(empty.estimate()).isEqualTo(1);
    }

    @Test
    void aCopySharesNothingWithItsOriginal() {
        DistinctCount original = new DistinctCount();
        original.add("x");
        DistinctCount copy = original.copy();
        copy.add("y");
        assertThat(original.estimate()).isEqualTo(1);
        assertThat(copy.estimate()).isEqualTo(2);
        DistinctCount merged = new DistinctCount();
        merged.merge(original);
        merged.add("z");
        assertThat(original.estimate()).isEqualTo(1);
    }

    @Test
    void theStateFormIsCompactAndRoundTripsThroughFlinksSerializer() {
        TypeInformation<DistinctCount> type = TypeInformation.of(DistinctCount.class);
        assertThat(type).isEqualTo(DistinctCountTypeInfo.of());
        DistinctCount small = new DistinctCount();
        for (int i = 0; i < 20; i++) {
            small.add("acc-" + i);
        }
        // A small set: a few bytes a member (the hand-written sketch kept 8).
        assertThat(image(small).length).isLessThan(20 * 6);
        assertThat(roundTrip(small).estimate()).isEqualTo(20);

        DistinctCount dense = new DistinctCount();
        for (int i = 0; i < 100_000; i++) {
            dense.add("acc-" + i);
        }
        // HLL_4 at lgK 12: 2 KiB of registers and a header (the hand-written one wrote 4 KiB).
        assertThat(image(dense).length).isBetween(2_048, 2_048 + 512);
        DistinctCount back = roundTrip(dense);
        assertThat(back.estimate()).isEqualTo(dense.estimate());
        back.add("one-more-" + 1);
        assertThat(back.estimate()).isBetween(dense.estimate(), dense.estimate() + 1);
        // A merged count (a union inside) serializes as one sketch too.
        DistinctCount merged = new DistinctCount();
        merged.merge(small);
        merged.merge(dense);
        assertThat(roundTrip(merged).estimate()).isEqualTo(merged.estimate());
    }

    @Test
    void countsRestoredFromBeforeIssue19FoldInWhenExactAndStartAfreshWhenDense() {
        // What Flink's POJO serializer restores from a savepoint of the previous version: the
        // hand-written sketch's data in the legacy field, no DataSketches count.
        WindowFigures small = new WindowFigures();
        small.counterpartySketch = null;
        small.counterparties = legacyExact("A1", "A2");
        WindowFigures dense = new WindowFigures();
        dense.counterparties = new HyperLogLog();
        dense.counterparties.registers = new byte[1 << DistinctCount.LG_K];
        Arrays.fill(dense.counterparties.registers, (byte) 3);

        // A restored child merged into a new parent: exact members carry over, the child stays.
        WindowFigures parent = new WindowFigures().merge(small);
        assertThat(parent.distinctCounterparties()).isEqualTo(2);
        assertThat(small.counterparties).isNotNull();
        parent.merge(dense);
        assertThat(parent.distinctCounterparties()).isEqualTo(2);

        // A restored window taking a decision: the same member counts once across the upgrade.
        small.add(movement("A2", "A3"));
        assertThat(small.distinctCounterparties()).isEqualTo(3);
        assertThat(small.counterparties).as("folded and dropped").isNull();
        // The registers of a large set cannot be carried (another hash layout): counted afresh.
        dense.add(movement("A9"));
        assertThat(dense.distinctCounterparties()).isEqualTo(1);
        assertThat(dense.counterparties).isNull();
    }

    private static HyperLogLog legacyExact(String... members) {
        HyperLogLog legacy = new HyperLogLog();
        legacy.exact =
                Arrays.stream(members).mapToLong(DistinctCount::memberHash).sorted().toArray();
        return legacy;
    }

    private static Movement movement(String... counterparties) {
        Movement m = new Movement();
        m.scope = "partner";
        m.partnerId = "P1";
        m.currency = "EUR";
        m.status = "COMPLETED";
        m.amountMinor = 1;
        m.counterparties = counterparties;
        return m;
    }

    private static void assertWithinBound(long estimate, int exact) {
        double error = Math.abs(estimate - exact) / (double) exact;
        assertThat(error)
                .as("relative error at n = %d (estimate %d)", exact, estimate)
                .isLessThan(MAX_RELATIVE_ERROR);
    }

    private static byte[] image(DistinctCount count) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer().serialize(count, out);
            return out.getCopyOfBuffer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DistinctCount roundTrip(DistinctCount count) {
        try {
            return serializer().deserialize(new DataInputDeserializer(image(count)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static TypeSerializer<DistinctCount> serializer() {
        return TypeInformation.of(DistinctCount.class).createSerializer(new SerializerConfigImpl());
    }
}
