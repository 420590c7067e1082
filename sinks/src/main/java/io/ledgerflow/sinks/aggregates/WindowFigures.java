package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.avro.ReasonCode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one aggregate key over one window, mergeable: the figures of a window are the
 * merge of its sub-windows' figures. This is both the first level's accumulator and what every
 * level emits. A plain Flink POJO (public fields, no-arg constructor) so window state serializes
 * without Kryo; rejections are counted per {@link ReasonCode} ordinal for the same reason.
 *
 * <p>What counts: every terminal decision is a movement (count, total, min, max). "Approved" is a
 * COMPLETED decision, the one status under which the movement itself took effect; "rejected" is
 * REJECTED. A hold's ending (CAPTURED, VOIDED, EXPIRED) is a movement but neither: the money a
 * capture moves is already approved as the CAPTURE's own COMPLETED result, and counting the hold
 * again would count that money twice.
 */
public class WindowFigures {

    public String scope;
    public String partnerId;
    public String currency;
    public String accountId;

    public long movements;
    public long totalMinor;
    public long minMinor = Long.MAX_VALUE;
    public long maxMinor = Long.MIN_VALUE;
    public long approved;
    public long approvedMinor;
    public long rejected;

    /** Rejections per {@link ReasonCode} ordinal (new codes are appended, so ordinals hold). */
    public long[] rejectionsByReason = new long[0];

    public HyperLogLog counterparties = new HyperLogLog();

    public WindowFigures() {}

    /** Adds one decision. */
    public WindowFigures add(Movement m) {
        identify(m.scope, m.partnerId, m.currency, m.accountId);
        movements++;
        totalMinor = Math.addExact(totalMinor, m.amountMinor);
        minMinor = Math.min(minMinor, m.amountMinor);
        maxMinor = Math.max(maxMinor, m.amountMinor);
        if ("COMPLETED".equals(m.status)) {
            approved++;
            approvedMinor = Math.addExact(approvedMinor, m.amountMinor);
        } else if ("REJECTED".equals(m.status)) {
            rejected++;
            int reason = reasonOrdinal(m.reason);
            if (rejectionsByReason.length <= reason) {
                rejectionsByReason = Arrays.copyOf(rejectionsByReason, reason + 1);
            }
            rejectionsByReason[reason]++;
        }
        for (String counterparty : m.counterparties) {
            counterparties.add(counterparty);
        }
        return this;
    }

    /** Adds all of {@code other}'s figures to these; {@code other} is not changed. */
    public WindowFigures merge(WindowFigures other) {
        identify(other.scope, other.partnerId, other.currency, other.accountId);
        movements += other.movements;
        totalMinor = Math.addExact(totalMinor, other.totalMinor);
        minMinor = Math.min(minMinor, other.minMinor);
        maxMinor = Math.max(maxMinor, other.maxMinor);
        approved += other.approved;
        approvedMinor = Math.addExact(approvedMinor, other.approvedMinor);
        rejected += other.rejected;
        if (rejectionsByReason.length < other.rejectionsByReason.length) {
            rejectionsByReason = Arrays.copyOf(rejectionsByReason, other.rejectionsByReason.length);
        }
        for (int i = 0; i < other.rejectionsByReason.length; i++) {
            rejectionsByReason[i] += other.rejectionsByReason[i];
        }
        counterparties.merge(other.counterparties);
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

    public long distinctCounterparties() {
        return counterparties.estimate();
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
