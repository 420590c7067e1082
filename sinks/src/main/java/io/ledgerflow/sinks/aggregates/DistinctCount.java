package io.ledgerflow.sinks.aggregates;

import java.nio.charset.StandardCharsets;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A mergeable approximate distinct count (the distinct counterparties of a window): an Apache
 * DataSketches {@link HllSketch} at {@link #LG_K} = 12, the precision of the hand-written
 * HyperLogLog it replaces (4096 buckets, standard error about 1.04/sqrt(4096) = 1.6%).
 *
 * <p>Small sets are the common case (an account's hour, a quiet partner's minute): the sketch keeps
 * them as a list, then a hash set, of 4-byte coupons and counts them essentially exactly; past a
 * few hundred members it switches to its 4096 buckets for good. Serialized in Flink state as the
 * sketch's compact HLL_4 image ({@link DistinctCountSerializer}): about 2 KiB once dense, 4 bytes a
 * member before.
 *
 * <p>Merging is what makes the window cascade work: the count of an hour is the union of its
 * quarter-hours' sketches. A merge goes through a DataSketches {@link Union}, kept while more
 * children arrive and turned back into a sketch only when the count is serialized or copied.
 *
 * <p>Members are given to the sketch as a 64-bit hash of their UTF-8 bytes ({@link #memberHash})
 * rather than as strings: it is the hash the hand-written sketch kept for small sets, so the exact
 * sets in state written before this class existed fold into it member for member ({@link
 * WindowFigures}, DISCUSSION.md "Distinct counts").
 */
@TypeInfo(DistinctCountTypeInfo.class)
public final class DistinctCount {

    /** log2 of the bucket count: the precision of the hand-written sketch. */
    static final int LG_K = 12;

    /** The form kept in state: 4 bits a bucket, half the size of HLL_8, same estimates. */
    static final TgtHllType STATE_TYPE = TgtHllType.HLL_4;

    /** While no merge happened; null while {@link #union} holds the members. */
    private HllSketch sketch;

    /** After a merge, until the next serialization or copy. */
    private Union union;

    public DistinctCount() {
        this.sketch = new HllSketch(LG_K, STATE_TYPE);
    }

    DistinctCount(HllSketch sketch) {
        this.sketch = sketch;
    }

    /** Adds one member (an account id). */
    public void add(String member) {
        addHash(memberHash(member));
    }

    /** Adds a member by its {@link #memberHash}. */
    void addHash(long hash) {
        if (union != null) {
            union.update(hash);
        } else {
            sketch.update(hash);
        }
    }

    /** Adds every member of {@code other} to this count; {@code other} is not changed. */
    public void merge(DistinctCount other) {
        if (other.isEmpty()) {
            return;
        }
        if (union == null && sketch.isEmpty()) {
            // A copy, the common case: a window's first child, or a row leaving the operator.
            sketch = other.sketch().copy();
            return;
        }
        if (union == null) {
            union = new Union(LG_K);
            union.update(sketch);
            sketch = null;
        }
        union.update(other.sketch());
    }

    /** The estimated number of distinct members. */
    public long estimate() {
        return Math.round(union != null ? union.getEstimate() : sketch.getEstimate());
    }

    public boolean isEmpty() {
        return union != null ? union.isEmpty() : sketch.isEmpty();
    }

    /** A deep copy: window results must not share sketches with window state. */
    public DistinctCount copy() {
        return new DistinctCount(sketch().copy());
    }

    /** The members as one sketch in the state form (the union, if any, folded into it). */
    HllSketch sketch() {
        if (union != null) {
            sketch = union.getResult(STATE_TYPE);
            union = null;
        }
        return sketch;
    }

    /**
     * FNV-1a over the UTF-8 bytes, then the MurmurHash3 finalizer: the member hash of the hand-
     * written sketch, kept so its saved exact sets fold in (class comment). DataSketches hashes it
     * again (MurmurHash3 of the long), so its quality does not rest on this function.
     */
    static long memberHash(String member) {
        long h = 0xcbf29ce484222325L;
        for (byte b : member.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
