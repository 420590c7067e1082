package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.jobs.fraud.Explanations.human;
import static io.ledgerflow.jobs.fraud.Explanations.money;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.MoneyMovement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code DORMANT_REACTIVATION}: an outgoing movement of at least {@code minAmountMinor} {@code
 * dormantFor} or more after the holder's last own action (opening, sending). {@code dormantFor}
 * must be shorter than the screen's profile retention, or the profile would be gone by then.
 */
record DormantReactivationRule(
        FraudRule rule, String currency, Duration dormantFor, long minAmountMinor)
        implements ScreeningRule {

    static DormantReactivationRule parse(
            FraudRule rule, String currency, FraudThresholds t, Duration profileRetention)
            throws InvalidFraudRuleException {
        Duration dormantFor = t.duration("dormantFor");
        long minAmountMinor = t.positiveLong("minAmountMinor", 1);
        if (dormantFor.compareTo(profileRetention) >= 0) {
            throw new InvalidFraudRuleException(
                    "dormantFor "
                            + dormantFor
                            + " must be shorter than the screen's profile retention "
                            + profileRetention);
        }
        return new DormantReactivationRule(rule, currency, dormantFor, minAmountMinor);
    }

    @Override
    public Match evaluate(
            MoneyMovement m,
            long now,
            List<AccountActivity> recent,
            AccountProfile profile,
            CounterpartyHistory history) {
        if (profile.lastActiveTime == 0 || m.getAmountMinor() < minAmountMinor) {
            return null;
        }
        long idle = now - profile.lastActiveTime;
        if (idle < dormantFor.toMillis()) {
            return null;
        }
        return new Match(
                Match.score((double) idle / dormantFor.toMillis()),
                List.of(m.getTransactionId()),
                String.format(
                        Locale.ROOT,
                        "First movement of %s %s after %s without activity; dormant means %s.",
                        money(m.getAmountMinor(), m),
                        m.getCurrency(),
                        human(Duration.ofMillis(idle)),
                        human(dormantFor)));
    }
}
