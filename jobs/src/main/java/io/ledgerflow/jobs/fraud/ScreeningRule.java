package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@link FraudRule} checked and ready to evaluate: one small type per rule type, holding only the
 * thresholds that type uses, parsed into typed values once, on receipt. {@link #parse} refuses a
 * rule that could not be evaluated (missing, misspelt or out-of-range thresholds, a window longer
 * than the screen remembers), so a bad rule never reaches the accounts. The keys of each rule type
 * are listed in the fraud {@code DISCUSSION.md}.
 *
 * <p>Only the Avro {@link FraudRule} is kept in broadcast state; a {@code ScreeningRule} is derived
 * from it in memory (after every rule change and every restore), so these types can change without
 * touching savepoints.
 */
public sealed interface ScreeningRule
        permits WindowedRule, AmountSpikeRule, DormantReactivationRule {

    /** What a rule id may look like: it names the rule in alerts, logs and Kafka keys. */
    Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Looks up when the account first paid a counterparty (event time), or null if never. */
    @FunctionalInterface
    interface CounterpartyHistory {
        Long firstPaid(String counterparty) throws Exception;
    }

    /** Why a rule matched: score 0..1, the movements that make the pattern, for people. */
    record Match(double score, List<String> triggeringTransactionIds, String explanation) {

        /** 0.5 just past the threshold, growing to 1 at twice the threshold. */
        static double score(double ratioToThreshold) {
            return Math.round(Math.min(1.0, ratioToThreshold / 2) * 1000) / 1000.0;
        }
    }

    /** The rule record this was parsed from: id, version, mode and severity for the alert. */
    FraudRule rule();

    /** The only currency whose movements this rule judges, or null for every currency. */
    String currency();

    /**
     * Checks a rule record against what the screen remembers ({@code settings}): how far back an
     * account's movements go (windows may not be longer), how many of them (a count limit must be
     * below it), and how long an idle account is remembered at all (a dormancy period must be
     * shorter).
     */
    static ScreeningRule parse(FraudRule rule, FraudScreenSettings settings)
            throws InvalidFraudRuleException {
        Duration activityRetention = settings.activityRetention();
        if (rule.getRuleId() == null || !RULE_ID.matcher(rule.getRuleId()).matches()) {
            throw new InvalidFraudRuleException(
                    "ruleId must match [A-Za-z0-9._:-]{1,64}, got " + rule.getRuleId());
        }
        if (rule.getVersion() <= 0) {
            throw new InvalidFraudRuleException("version must be positive");
        }
        if (rule.getChangedBy() == null || rule.getChangedBy().isBlank()) {
            throw new InvalidFraudRuleException("changedBy must name who made the change");
        }
        FraudThresholds t = new FraudThresholds(rule.getThresholds());
        // Read first by every type, so that it is among the keys an unknown key is compared with.
        String currency = t.currency();
        ScreeningRule parsed =
                switch (rule.getRuleType()) {
                    case VELOCITY ->
                            VelocityRule.parse(rule, currency, t, settings.maxActivities());
                    case AMOUNT_SPIKE -> AmountSpikeRule.parse(rule, currency, t);
                    case FAN_OUT -> FanOutRule.parse(rule, currency, t);
                    case STRUCTURING -> StructuringRule.parse(rule, currency, t);
                    case RAPID_IN_OUT -> RapidInOutRule.parse(rule, currency, t);
                    case DORMANT_REACTIVATION ->
                            DormantReactivationRule.parse(
                                    rule, currency, t, settings.profileRetention());
                    default ->
                            throw new InvalidFraudRuleException(
                                    "unknown rule type "
                                            + rule.getRuleType()
                                            + " (a newer producer?)");
                };
        // A misspelt key is reported before a window that is too long: the window may be the typo.
        t.refuseUnknownKeys();
        if (parsed instanceof WindowedRule windowed
                && windowed.window().compareTo(activityRetention) > 0) {
            throw new InvalidFraudRuleException(
                    "window "
                            + Durations.format(windowed.window())
                            + " is longer than the screen remembers movements"
                            + " (--fraud-activity-retention "
                            + Durations.format(activityRetention)
                            + ")");
        }
        return parsed;
    }

    /**
     * Whether this rule looks at a movement of this type. Outgoing movements (transfer, withdrawal,
     * hold) are what the holder does with money: every rule judges them. Deposits are screened only
     * by rules that {@link #screensDeposits} (structuring: cash split under a reporting threshold
     * comes in as deposits); capture, void and refund act on a movement that was already screened.
     */
    default boolean screens(MoneyMovement m) {
        String currency = currency();
        if (!rule().getEnabled() || (currency != null && !currency.equals(m.getCurrency()))) {
            return false;
        }
        if (m.getType() == MovementType.DEPOSIT) {
            return screensDeposits();
        }
        return FraudScreen.isOutflow(m.getType());
    }

    /** Whether deposits are judged too, not only money the holder sends away. */
    default boolean screensDeposits() {
        return false;
    }

    /**
     * Evaluates the rule on {@code m}, the account's newest movement at event time {@code now};
     * {@code recent} holds the account's earlier movements (newest last), not {@code m} itself.
     * Null when the rule does not match.
     */
    Match evaluate(
            MoneyMovement m,
            long now,
            List<AccountActivity> recent,
            AccountProfile profile,
            CounterpartyHistory history)
            throws Exception;
}
