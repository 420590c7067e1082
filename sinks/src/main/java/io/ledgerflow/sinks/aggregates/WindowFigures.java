package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.avro.ReasonCode;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The figures of one aggregate key over one window, mergeable: the figures of a window are the
 * merge of its sub-windows' figures. This is both the first level's accumulator and what every
 * level emits. Written by its own serializer ({@link WindowFiguresSerializer}, found through the
 * {@code @TypeInfo} annotation wherever the type appears); it keeps the shape of a Flink POJO
 * (public fields, no-arg constructor) because state from before that serializer was written as one
 * and migrates from it. Rejections are counted per {@link ReasonCode} ordinal.
 *
 * <p>What counts: every terminal decision is a movement (count, total, min, max). "Approved" is a
 * COMPLETED decision, the one status under which the movement itself took effect; "rejected" is
 * REJECTED. A hold's ending (CAPTURED, VOIDED, EXPIRED) is a movement but neither: the money a
 * capture moves is already approved as the CAPTURE's own COMPLETED result, and counting the hold
 * again would count that money twice.
 *
 * <p>Arithmetic never fails: the money sums are signed 128-bit values ({@link Int128}: the long
 * field is the low word, its {@code ...High} field the high word), exact for any run of 64-bit
 * amounts, and cost one addition and one overflow test per decision while they fit a long. Counts
 * are one per decision and stay 64-bit (DISCUSSION.md, "Arithmetic"); min and max are amounts.
 */
@TypeInfo(WindowFiguresTypeInfo.class)
public class WindowFigures {

    public String scope;
    public String partnerId;
    public String currency;
    public String accountId;

    public long movements;

    /** Low word of the total; the whole total while {@link #totalMinorHigh} is 0. */
    public long totalMinor;

    /**
     * High word of the total ({@link Int128}). Added after state with 64-bit sums existed: such
     * state restores with 0 here, which is its exact value.
     */
    public long totalMinorHigh;

    public long minMinor = Long.MAX_VALUE;
    public long maxMinor = Long.MIN_VALUE;
    public long approved;

    /** Low word of the approved total, as {@link #totalMinor}. */
    public long approvedMinor;

    /** High word of the approved total, as {@link #totalMinorHigh}. */
    public long approvedMinorHigh;

    public long rejected;

    /** Rejections per {@link ReasonCode} ordinal (new codes are appended, so ordinals hold). */
    public long[] rejectionsByReason = new long[0];

    /** The distinct counterparties of the window's decisions. */
    public DistinctCount counterpartySketch = new DistinctCount();

    /**
     * Only in state restored from before issue 19 (null otherwise): the hand-written sketch's data,
     * folded into {@link #counterpartySketch} at first use ({@link #counterpartyCount()}).
     */
    public HyperLogLog counterparties;

    public WindowFigures() {}

    /** Adds one decision. */
    public WindowFigures add(Movement m) {
        identify(m.scope, m.partnerId, m.currency, m.accountId);
        movements++;
        long amount = m.amountMinor;
        long total = totalMinor + amount;
        totalMinorHigh += Int128.carry(totalMinor, amount, total);
        totalMinor = total;
        minMinor = Math.min(minMinor, m.amountMinor);
        maxMinor = Math.max(maxMinor, m.amountMinor);
        if ("COMPLETED".equals(m.status)) {
            approved++;
            long approvedTotal = approvedMinor + amount;
            approvedMinorHigh += Int128.carry(approvedMinor, amount, approvedTotal);
            approvedMinor = approvedTotal;
        } else if ("REJECTED".equals(m.status)) {
            rejected++;
            int reason = reasonOrdinal(m.reason);
            if (rejectionsByReason.length <= reason) {
                rejectionsByReason = Arrays.copyOf(rejectionsByReason, reason + 1);
            }
            rejectionsByReason[reason]++;
        }
        DistinctCount sketch = counterpartyCount();
        for (String counterparty : m.counterparties) {
            sketch.add(counterparty);
        }
        return this;
    }

    /** Adds all of {@code other}'s figures to these; {@code other} is not changed. */
    public WindowFigures merge(WindowFigures other) {
        identify(other.scope, other.partnerId, other.currency, other.accountId);
        movements += other.movements;
        long total = totalMinor + other.totalMinor;
        totalMinorHigh += other.totalMinorHigh + Int128.carry(totalMinor, other.totalMinor, total);
        totalMinor = total;
        minMinor = Math.min(minMinor, other.minMinor);
        maxMinor = Math.max(maxMinor, other.maxMinor);
        approved += other.approved;
        long approvedTotal = approvedMinor + other.approvedMinor;
        approvedMinorHigh +=
                other.approvedMinorHigh
                        + Int128.carry(approvedMinor, other.approvedMinor, approvedTotal);
        approvedMinor = approvedTotal;
        rejected += other.rejected;
        if (rejectionsByReason.length < other.rejectionsByReason.length) {
            rejectionsByReason = Arrays.copyOf(rejectionsByReason, other.rejectionsByReason.length);
        }
        for (int i = 0; i < other.rejectionsByReason.length; i++) {
            rejectionsByReason[i] += other.rejectionsByReason[i];
        }
        DistinctCount sketch = counterpartyCount();
        // other is not changed: its restored legacy members, if any, fold into this only.
        foldLegacy(other.counterparties, sketch);
        if (other.counterpartySketch != null) {
            sketch.merge(other.counterpartySketch);
        }
        return this;
    }

    /** Rejection counts by reason name, sorted by name; reasons with none are left out. */
    public Map<String, Long> rejectionsByReasonName() {
        Map<String, Long> byName = new TreeMap<>();
        ReasonCode[] codes = ReasonCode.values();
        for (int i = 0; i < rejectionsByReason.length; i++) {
            if (rejectionsByReason[i] > 0) {
                byName.put(i < codes.length ? codes[i].name() : "CODE_" + i, rejectionsByReason[i]);
            }
        }
        return byName;
    }

    /** The exact sum of every movement's amount. */
    public BigInteger total() {
        return Int128.toBigInteger(totalMinorHigh, totalMinor);
    }

    /** The exact sum of the approved (COMPLETED) movements' amounts. */
    public BigInteger approvedTotal() {
        return Int128.toBigInteger(approvedMinorHigh, approvedMinor);
    }

    public long distinctCounterparties() {
        return counterpartyCount().estimate();
    }

    /**
     * The counterparty sketch, after folding in what state from before issue 19 holds: the exact
     * member hashes of a small set carry over one for one (the new sketch takes the same hashes);
     * the registers of a large one cannot (another hash layout), so such a window counts only the
     * counterparties it sees after the upgrade (DISCUSSION.md, "Distinct counts").
     */
    private DistinctCount counterpartyCount() {
        if (counterpartySketch == null) {
            counterpartySketch = new DistinctCount();
        }
        if (counterparties != null) {
            foldLegacy(counterparties, counterpartySketch);
            counterparties = null;
        }
        return counterpartySketch;
    }

    /**
     * The counterparty sketch with what state from before issue 19 holds folded in, without
     * changing these figures: a copy when there is something to fold, else the sketch itself.
     */
    DistinctCount settledSketch() {
        DistinctCount sketch =
                counterpartySketch == null ? new DistinctCount() : counterpartySketch;
        if (counterparties == null) {
            return sketch;
        }
        DistinctCount folded = sketch.copy();
        foldLegacy(counterparties, folded);
        return folded;
    }

    private static void foldLegacy(HyperLogLog legacy, DistinctCount into) {
        if (legacy != null && legacy.exact != null) {
            for (long hash : legacy.exact) {
                into.addHash(hash);
            }
        }
    }

    /** The aggregate key, as {@link Movement#key()}. */
    public String key() {
        return Movement.Scope.key(scope, partnerId, currency, accountId);
    }

    private void identify(String scope, String partnerId, String currency, String accountId) {
        if (this.scope == null) {
            this.scope = scope;
            this.partnerId = partnerId;
            this.currency = currency;
            this.accountId = accountId;
        }
    }

    private static int reasonOrdinal(String reason) {
        if (reason == null) {
            return ReasonCode.OTHER.ordinal();
        }
        try {
            return ReasonCode.valueOf(reason).ordinal();
        } catch (IllegalArgumentException e) {
            return ReasonCode.OTHER.ordinal();
        }
    }
}
