package io.ledgerflow.readmodel.settlement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a batch is made from the postings it covers: plain Java, no store, no clock.
 *
 * <ol>
 *   <li>Postings with an event time in the period are regular; postings with an earlier event time
 *       are adjustments (decided after their own period's batch was made); postings with a later
 *       one do not belong here (the caller never passes them).
 *   <li>Each posting's fee: the rule for its movement type and currency in the fee schedule version
 *       in force at its event time ({@link FeeRule#feeFor}); none when there is no rule or the
 *       posting is a reversal (it undoes an earlier debit, it is not a service).
 *   <li>Lines per direction, movement type and adjustment; credits, debits, refunds, fees.
 *   <li>{@code net = carriedIn + credits - debits - fees}; paid out when positive, else carried.
 * </ol>
 */
public final class SettlementRules {

    private SettlementRules() {}

    public static SettlementBatch batch(
            String partnerId,
            String currency,
            String settlementAccountId,
            SettlementPeriod period,
            Instant closedAt,
            List<SettledPosting> postings,
            List<FeeSchedule> schedules,
            long carriedInMinor) {
        List<SettledPosting> ordered = new ArrayList<>(postings);
        ordered.sort(Comparator.comparingLong(SettledPosting::sequence));
        List<BatchEntry> entries = new ArrayList<>();
        Map<String, long[]> lines = new TreeMap<>();
        long credits = 0;
        long debits = 0;
        long refunds = 0;
        int refundCount = 0;
        long fees = 0;
        for (SettledPosting p : ordered) {
            if (!p.eventTime().isBefore(period.end())) {
                throw new IllegalArgumentException(
                        "posting " + p.accountId() + "#" + p.sequence() + " is after " + period);
            }
            boolean adjustment = p.eventTime().isBefore(period.start());
            long fee = 0;
            Integer version = null;
            if (!p.reversal()) {
                Optional<FeeSchedule> schedule = FeeSchedule.inForce(schedules, p.eventTime());
                Optional<FeeRule> rule = schedule.flatMap(s -> s.rule(p.movementType(), currency));
                if (rule.isPresent()) {
                    fee = rule.get().feeFor(p.amountMinor());
                    version = schedule.get().version();
                }
            }
            entries.add(new BatchEntry(p, fee, version, adjustment));
            if (p.credit()) {
                credits = Math.addExact(credits, p.amountMinor());
            } else {
                debits = Math.addExact(debits, p.amountMinor());
                if ("REFUND".equals(p.movementType())) {
                    refunds = Math.addExact(refunds, p.amountMinor());
                    refundCount++;
                }
            }
            fees = Math.addExact(fees, fee);
            // Sorted key: direction, type, regular before adjustment.
            String key = p.direction() + "|" + p.movementType() + "|" + (adjustment ? 1 : 0);
            long[] line = lines.computeIfAbsent(key, k -> new long[3]);
            line[0]++;
            line[1] = Math.addExact(line[1], p.amountMinor());
            line[2] = Math.addExact(line[2], fee);
        }
        List<BatchLine> batchLines = new ArrayList<>();
        lines.forEach(
                (key, f) -> {
                    String[] k = key.split("\\|");
                    batchLines.add(
                            new BatchLine(k[0], k[1], k[2].equals("1"), (int) f[0], f[1], f[2]));
                });
        long net = Math.subtractExact(Math.subtractExact(carriedInMinor + credits, debits), fees);
        return new SettlementBatch(
                SettlementIds.batchId(partnerId, currency, period.start()),
                partnerId,
                currency,
                settlementAccountId,
                period,
                closedAt,
                batchLines,
                entries,
                credits,
                debits,
                refundCount,
                refunds,
                fees,
                carriedInMinor,
                net,
                Math.max(net, 0),
                Math.min(net, 0));
    }
}
