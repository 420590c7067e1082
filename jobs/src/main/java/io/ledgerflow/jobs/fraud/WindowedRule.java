package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A rule that judges the movements of a sliding event-time window, which the screen must remember:
 * its window may not be longer than the screen's activity retention ({@link ScreeningRule#parse}
 * refuses it otherwise).
 */
sealed interface WindowedRule extends ScreeningRule
        permits VelocityRule, FanOutRule, StructuringRule, RapidInOutRule {

    /** How far back from a movement the rule looks, event time. */
    Duration window();

    /** A windowed check of the movements in the window that ends at a given event time. */
    @FunctionalInterface
    interface WindowCheck {
        Match at(long windowEnd) throws Exception;
    }

    /** The movement being screened as the windows see it, next to the remembered ones. */
    default AccountActivity activity(MoneyMovement m, long now) {
        return new AccountActivity(
                now,
                m.getTransactionId(),
                m.getAmountMinor(),
                m.getDestinationAccountId(),
                m.getType() == MovementType.DEPOSIT);
    }

    /**
     * Arrival order is not event-time order: the idempotency gate in front re-partitions requests
     * by id, and inflows come from other accounts' partitions. So the movement may complete a
     * pattern whose window ends after it; every window that contains it is tried: the one ending at
     * it, then those ending at a later movement less than a window away. In order, only the first.
     */
    default Match anyWindow(long now, List<AccountActivity> recent, WindowCheck check)
            throws Exception {
        Match match = check.at(now);
        if (match != null) {
            return match;
        }
        long window = window().toMillis();
        TreeSet<Long> laterEnds = new TreeSet<>();
        for (AccountActivity a : recent) {
            if (a.time > now && a.time < now + window) {
                laterEnds.add(a.time);
            }
        }
        for (long end : laterEnds) {
            match = check.at(end);
            if (match != null) {
                return match;
            }
        }
        return null;
    }

    /** The movements of the window ending at {@code end}, the current one included, by time. */
    default List<AccountActivity> inWindow(
            List<AccountActivity> recent, AccountActivity current, long end) {
        long since = end - window().toMillis();
        List<AccountActivity> in = new ArrayList<>();
        for (AccountActivity a : recent) {
            if (a.time > since && a.time <= end) {
                in.add(a);
            }
        }
        in.add(current);
        in.sort(Comparator.comparingLong(a -> a.time)); // stable: arrival order among equals
        return in;
    }
}
