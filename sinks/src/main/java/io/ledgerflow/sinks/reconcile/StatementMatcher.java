package io.ledgerflow.sinks.reconcile;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Matches a statement's lines against the ledger's deposits and withdrawals, in plain Java. Rules,
 * in order of precedence:
 *
 * <ol>
 *   <li><b>By reference</b>: the line's reference is the movement's external reference or its
 *       transaction id, with the same direction (CREDIT = deposit, DEBIT = withdrawal), currency
 *       and amount. A reference is what the bank carries over from the payment order, so it wins
 *       over any closeness of dates.
 *   <li><b>By amount and date</b>: for the lines left, in the statement's order, the movement left
 *       with the same direction, currency and amount whose date is closest to the line's value
 *       date, at most {@code toleranceDays} away (banks book a day or two after the ledger); a tie
 *       goes to the smaller transaction id, so a re-run matches the same way.
 * </ol>
 *
 * Each movement matches one line at most. What is left: lines the ledger has no movement for
 * ({@code UNMATCHED_STATEMENT_LINE}) and movements of the statement's period that the bank does not
 * show ({@code UNMATCHED_LEDGER_MOVEMENT}); a movement left over that lies only in the tolerance
 * margin around the period belongs to the neighbouring statement and is not reported.
 */
public final class StatementMatcher {

    /** The outcome for one line, one movement, or a matched pair. */
    public record Result(
            String result, String matchedBy, StatementLine line, LedgerMovement movement) {

        public static final String MATCHED = "MATCHED";
        public static final String UNMATCHED_STATEMENT_LINE = "UNMATCHED_STATEMENT_LINE";
        public static final String UNMATCHED_LEDGER_MOVEMENT = "UNMATCHED_LEDGER_MOVEMENT";

        /** The row's key in {@code statement_matches}. */
        public String item() {
            return line != null
                    ? "line:" + line.lineNumber()
                    : "tx:" + movement.partnerId() + "/" + movement.transactionId();
        }

        /** The date an exception's age runs from. */
        public LocalDate itemDate() {
            return line != null ? line.valueDate() : movement.date();
        }
    }

    private StatementMatcher() {}

    /**
     * @param periodFrom first day of the statement (inclusive)
     * @param periodTo last day of the statement (inclusive)
     * @param movements the ledger's movements from {@code periodFrom - tolerance} to {@code
     *     periodTo + tolerance}
     */
    public static List<Result> match(
            List<StatementLine> lines,
            List<LedgerMovement> movements,
            int toleranceDays,
            LocalDate periodFrom,
            LocalDate periodTo) {
        List<Result> results = new ArrayList<>();
        Set<LedgerMovement> taken = new HashSet<>();
        List<StatementLine> left = new ArrayList<>();
        for (StatementLine l : lines) {
            LedgerMovement m =
                    movements.stream()
                            .filter(x -> !taken.contains(x) && same(l, x))
                            .filter(
                                    x ->
                                            l.reference().equals(x.transactionId())
                                                    || l.reference().equals(x.externalReference()))
                            .min(Comparator.comparing(LedgerMovement::transactionId))
                            .orElse(null);
            if (m != null && !l.reference().isEmpty()) {
                taken.add(m);
                results.add(new Result(Result.MATCHED, "REFERENCE", l, m));
            } else {
                left.add(l);
            }
        }
        for (StatementLine l : left) {
            LedgerMovement m =
                    movements.stream()
                            .filter(x -> !taken.contains(x) && same(l, x))
                            .filter(x -> days(l.valueDate(), x.date()) <= toleranceDays)
                            .min(
                                    Comparator.comparingLong(
                                                    (LedgerMovement x) ->
                                                            days(l.valueDate(), x.date()))
                                            .thenComparing(LedgerMovement::transactionId))
                            .orElse(null);
            if (m != null) {
                taken.add(m);
                results.add(new Result(Result.MATCHED, "AMOUNT_DATE", l, m));
            } else {
                results.add(new Result(Result.UNMATCHED_STATEMENT_LINE, null, l, null));
            }
        }
        results.sort(Comparator.comparingInt(r -> r.line().lineNumber()));
        movements.stream()
                .filter(m -> !taken.contains(m))
                .filter(m -> !m.date().isBefore(periodFrom) && !m.date().isAfter(periodTo))
                .sorted(
                        Comparator.comparing(LedgerMovement::date)
                                .thenComparing(LedgerMovement::partnerId)
                                .thenComparing(LedgerMovement::transactionId))
                .forEach(
                        m ->
                                results.add(
                                        new Result(
                                                Result.UNMATCHED_LEDGER_MOVEMENT, null, null, m)));
        return results;
    }

    private static boolean same(StatementLine l, LedgerMovement m) {
        return l.direction() == m.direction()
                && l.currency().equals(m.currency())
                && l.amountMinor() == m.amountMinor();
    }

    private static long days(LocalDate a, LocalDate b) {
        return Math.abs(ChronoUnit.DAYS.between(a, b));
    }
}
