package io.ledgerflow.readmodel.settlement;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One version of a partner's fee schedule: its rules apply to postings whose event time is at or
 * after {@code effectiveFrom}, until the next version takes effect.
 */
public record FeeSchedule(
        String partnerId, int version, Instant effectiveFrom, List<FeeRule> rules) {

    public FeeSchedule {
        rules = List.copyOf(rules);
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more; got " + version);
        }
        long distinct =
                rules.stream().map(r -> r.movementType() + "/" + r.currency()).distinct().count();
        if (distinct != rules.size()) {
            throw new IllegalArgumentException(
                    "a fee schedule has at most one rule per movement type and currency");
        }
    }

    /** The rule for postings of this movement type and currency, if the schedule has one. */
    public Optional<FeeRule> rule(String movementType, String currency) {
        return rules.stream()
                .filter(r -> r.movementType().equals(movementType) && r.currency().equals(currency))
                .findFirst();
    }

    /**
     * The version in force at {@code eventTime} among {@code versions} (any order): the latest
     * {@code effectiveFrom} at or before it; empty when none had taken effect yet.
     */
    public static Optional<FeeSchedule> inForce(List<FeeSchedule> versions, Instant eventTime) {
        FeeSchedule best = null;
        for (FeeSchedule s : versions) {
            if (!s.effectiveFrom().isAfter(eventTime)
                    && (best == null || s.effectiveFrom().isAfter(best.effectiveFrom()))) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }
}
