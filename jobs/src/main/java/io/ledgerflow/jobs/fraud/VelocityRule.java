package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.jobs.fraud.Explanations.human;
import static io.ledgerflow.jobs.fraud.Explanations.money;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.schemas.money.MinorUnitMath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code VELOCITY}: more than {@code maxCount} outgoing movements, or more than {@code
 * maxValueMinor} sent, within a window. Either limit may be absent (null), not both.
 */
record VelocityRule(
        FraudRule rule, String currency, Duration window, Long maxCount, Long maxValueMinor)
        implements WindowedRule {

    /**
     * {@code maxActivities}: the most movements the screen keeps per account, so a count limit at
     * or above it could never be exceeded and the rule would silently never fire.
     */
    static VelocityRule parse(FraudRule rule, String currency, FraudThresholds t, int maxActivities)
            throws InvalidFraudRuleException {
        Duration window = t.window();
        Long maxCount = t.optionalPositiveLong("maxCount");
        Long maxValueMinor = t.optionalPositiveLong("maxValueMinor");
        if (maxCount == null && maxValueMinor == null) {
            throw new InvalidFraudRuleException(
                    "a VELOCITY rule needs maxCount, maxValueMinor or both");
        }
        if (maxCount != null && maxCount >= maxActivities) {
            throw new InvalidFraudRuleException(
                    "maxCount "
                            + maxCount
                            + " could never be exceeded: the screen keeps at most "
                            + maxActivities
                            + " movements per account");
        }
        return new VelocityRule(rule, currency, window, maxCount, maxValueMinor);
    }

    @Override
    public Match evaluate(
            MoneyMovement m,
            long now,
            List<AccountActivity> recent,
            AccountProfile profile,
            CounterpartyHistory history)
            throws Exception {
        AccountActivity current = activity(m, now);
        return anyWindow(now, recent, end -> velocity(m, inWindow(recent, current, end)));
    }

    private Match velocity(MoneyMovement m, List<AccountActivity> in) {
        List<String> ids = new ArrayList<>();
        long value = 0;
        for (AccountActivity a : in) {
            if (!a.inflow) {
                ids.add(a.transactionId);
                // Saturated: a wrapped sum would turn negative and slip under the limit.
                value = MinorUnitMath.saturatedAdd(value, a.amountMinor);
            }
        }
        if (maxCount != null && ids.size() > maxCount) {
            return new Match(
                    Match.score((double) ids.size() / maxCount),
                    ids,
                    String.format(
                            Locale.ROOT,
                            "%d outgoing movements within %s; the limit is %d.",
                            ids.size(),
                            human(window),
                            maxCount));
        }
        if (maxValueMinor != null && value > maxValueMinor) {
            return new Match(
                    Match.score((double) value / maxValueMinor),
                    ids,
                    String.format(
                            Locale.ROOT,
                            "%s %s sent in %d movements within %s; the limit is %s.",
                            money(value, m),
                            m.getCurrency(),
                            ids.size(),
                            human(window),
                            money(maxValueMinor, m)));
        }
        return null;
    }
}
