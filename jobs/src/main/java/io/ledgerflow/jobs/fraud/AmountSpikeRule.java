package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.jobs.fraud.Explanations.money;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.MoneyMovement;
import java.util.List;
import java.util.Locale;

/**
 * {@code AMOUNT_SPIKE}: an outgoing amount of at least {@code minAmountMinor} above {@code
 * multiplier} times the account's running average, once the account has {@code minHistory} outgoing
 * movements to average. Judged against the profile as it is when the movement arrives.
 */
record AmountSpikeRule(
        FraudRule rule, String currency, double multiplier, long minHistory, long minAmountMinor)
        implements ScreeningRule {

    static AmountSpikeRule parse(FraudRule rule, String currency, FraudThresholds t)
            throws InvalidFraudRuleException {
        double multiplier = t.positiveDouble("multiplier");
        if (multiplier <= 1) {
            throw new InvalidFraudRuleException("multiplier must be above 1");
        }
        long minHistory = t.positiveLong("minHistory", 5);
        long minAmountMinor = t.positiveLong("minAmountMinor", 1);
        return new AmountSpikeRule(rule, currency, multiplier, minHistory, minAmountMinor);
    }

    @Override
    public Match evaluate(
            MoneyMovement m,
            long now,
            List<AccountActivity> recent,
            AccountProfile profile,
            CounterpartyHistory history) {
        if (profile.outflowCount < minHistory || m.getAmountMinor() < minAmountMinor) {
            return null;
        }
        double limit = multiplier * profile.averageOutflowMinor;
        if (m.getAmountMinor() <= limit) {
            return null;
        }
        return new Match(
                Match.score(m.getAmountMinor() / limit),
                List.of(m.getTransactionId()),
                String.format(
                        Locale.ROOT,
                        "%s %s is %.1f times the account's average outgoing amount of %s over"
                                + " its last %d movements; the limit is %.1f times.",
                        money(m.getAmountMinor(), m),
                        m.getCurrency(),
                        m.getAmountMinor() / profile.averageOutflowMinor,
                        money(Math.round(profile.averageOutflowMinor), m),
                        Math.min(profile.outflowCount, AccountProfile.AVERAGE_MEMORY),
                        multiplier));
    }
}
