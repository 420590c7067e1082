package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.FraudRuleType;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.money.MinorUnitMath;
import io.ledgerflow.schemas.money.MinorUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A {@link FraudRule} checked and ready to evaluate: its thresholds parsed into typed values once,
 * on receipt. {@link #parse} refuses a rule that could not be evaluated (missing, misspelt or
 * out-of-range thresholds, a window longer than the screen remembers), so a bad rule never reaches
 * the accounts. The keys of each rule type are listed in the fraud {@code DISCUSSION.md}.
 */
public final class ScreeningRule {

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** Looks up when the account first paid a counterparty (event time), or null if never. */
    @FunctionalInterface
    interface CounterpartyHistory {
        Long firstPaid(String counterparty) throws Exception;
    }

    /** Why a rule matched: score 0..1, the movements that make the pattern, for people. */
    record Match(double score, List<String> triggeringTransactionIds, String explanation) {}

    private final FraudRule rule;
    private final String currency;
    private final Duration window;
    private final Long maxCount;
    private final Long maxValueMinor;
    private final double multiplier;
    private final long minHistory;
    private final long minAmountMinor;
    private final long maxNewCounterparties;
    private final long thresholdMinor;
    private final long marginPercent;
    private final long minCount;
    private final long ratioPercent;
    private final Duration dormantFor;

    private ScreeningRule(FraudRule rule, Builder b) {
        this.rule = rule;
        this.currency = b.currency;
        this.window = b.window;
        this.maxCount = b.maxCount;
        this.maxValueMinor = b.maxValueMinor;
        this.multiplier = b.multiplier;
        this.minHistory = b.minHistory;
        this.minAmountMinor = b.minAmountMinor;
        this.maxNewCounterparties = b.maxNewCounterparties;
        this.thresholdMinor = b.thresholdMinor;
        this.marginPercent = b.marginPercent;
        this.minCount = b.minCount;
        this.ratioPercent = b.ratioPercent;
        this.dormantFor = b.dormantFor;
    }

    private static final class Builder {
        String currency;
        Duration window;
        Long maxCount;
        Long maxValueMinor;
        double multiplier;
        long minHistory;
        long minAmountMinor;
        long maxNewCounterparties;
        long thresholdMinor;
        long marginPercent;
        long minCount;
        long ratioPercent;
        Duration dormantFor;
    }

    /**
     * Checks a rule record. {@code activityRetention} is how far back the screen remembers an
     * account's movements (windows may not be longer); {@code profileRetention} how long it
     * remembers an idle account at all (a dormancy period must be shorter).
     */
    public static ScreeningRule parse(
            FraudRule rule, Duration activityRetention, Duration profileRetention)
            throws InvalidFraudRuleException {
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
        Builder b = new Builder();
        b.currency = t.optionalText("currency");
        if (b.currency != null && !CURRENCY.matcher(b.currency).matches()) {
            throw new InvalidFraudRuleException("currency must be an ISO 4217 code: " + b.currency);
        }
        switch (rule.getRuleType()) {
            case VELOCITY -> {
                b.window = t.duration("window");
                b.maxCount = t.optionalPositiveLong("maxCount");
                b.maxValueMinor = t.optionalPositiveLong("maxValueMinor");
                if (b.maxCount == null && b.maxValueMinor == null) {
                    throw new InvalidFraudRuleException(
                            "a VELOCITY rule needs maxCount, maxValueMinor or both");
                }
            }
            case AMOUNT_SPIKE -> {
                b.multiplier = t.positiveDouble("multiplier");
                if (b.multiplier <= 1) {
                    throw new InvalidFraudRuleException("multiplier must be above 1");
                }
                b.minHistory = t.positiveLong("minHistory", 5);
                b.minAmountMinor = t.positiveLong("minAmountMinor", 1);
            }
            case FAN_OUT -> {
                b.window = t.duration("window");
                b.maxNewCounterparties = t.positiveLong("maxNewCounterparties");
            }
            case STRUCTURING -> {
                b.window = t.duration("window");
                b.thresholdMinor = t.positiveLong("thresholdMinor");
                b.marginPercent = t.positiveLong("marginPercent", 10);
                if (b.marginPercent >= 100) {
                    throw new InvalidFraudRuleException("marginPercent must be below 100");
                }
                b.minCount = t.positiveLong("minCount");
            }
            case RAPID_IN_OUT -> {
                b.window = t.duration("window");
                b.minAmountMinor = t.positiveLong("minAmountMinor");
                b.ratioPercent = t.positiveLong("ratioPercent", 80);
            }
            case DORMANT_REACTIVATION -> {
                b.dormantFor = t.duration("dormantFor");
                b.minAmountMinor = t.positiveLong("minAmountMinor", 1);
                if (b.dormantFor.compareTo(profileRetention) >= 0) {
                    throw new InvalidFraudRuleException(
                            "dormantFor "
                                    + b.dormantFor
                                    + " must be shorter than the screen's profile retention "
                                    + profileRetention);
                }
            }
            default ->
                    throw new InvalidFraudRuleException(
                            "unknown rule type " + rule.getRuleType() + " (a newer producer?)");
        }
        t.refuseUnknownKeys();
        if (b.window != null && b.window.compareTo(activityRetention) > 0) {
            throw new InvalidFraudRuleException(
                    "window "
                            + b.window
                            + " is longer than the screen remembers movements ("
                            + activityRetention
                            + ")");
        }
        return new ScreeningRule(rule, b);
    }

    public FraudRule rule() {
        return rule;
    }

    /**
     * Whether this rule looks at a movement of this type. Outgoing movements (transfer, withdrawal,
     * hold) are what the holder does with money: every rule judges them. Deposits are screened for
     * structuring only (cash split under a reporting threshold comes in as deposits); capture, void
     * and refund act on a movement that was already screened.
     */
    boolean screens(MoneyMovement m) {
        if (!rule.getEnabled() || (currency != null && !currency.equals(m.getCurrency()))) {
            return false;
        }
        if (m.getType() == MovementType.DEPOSIT) {
            return rule.getRuleType() == FraudRuleType.STRUCTURING;
        }
        return FraudScreen.isOutflow(m.getType());
    }

    /**
     * Evaluates the rule on {@code m}, the account's newest movement at event time {@code now};
     * {@code recent} holds the account's earlier movements (newest last), not {@code m} itself.
     */
    Match evaluate(
            MoneyMovement m,
            long now,
            List<AccountActivity> recent,
            AccountProfile profile,
            CounterpartyHistory history)
            throws Exception {
        AccountActivity current =
                new AccountActivity(
                        now,
                        m.getTransactionId(),
                        m.getAmountMinor(),
                        m.getDestinationAccountId(),
                        m.getType() == MovementType.DEPOSIT);
        return switch (rule.getRuleType()) {
            case VELOCITY ->
                    anyWindow(now, recent, end -> velocity(m, inWindow(recent, current, end)));
            case AMOUNT_SPIKE -> amountSpike(m, profile);
            case FAN_OUT -> fanOut(m, now, recent, current, history);
            case STRUCTURING ->
                    anyWindow(now, recent, end -> structuring(m, inWindow(recent, current, end)));
            case RAPID_IN_OUT ->
                    anyWindow(now, recent, end -> rapidInOut(m, inWindow(recent, current, end)));
            case DORMANT_REACTIVATION -> dormant(m, now, profile);
            default -> null;
        };
    }

    /** A windowed check of the movements in the window that ends at a given event time. */
    @FunctionalInterface
    private interface WindowCheck {
        Match at(long windowEnd) throws Exception;
    }

    /**
     * Arrival order is not event-time order: the idempotency gate in front re-partitions requests
     * by id, and inflows come from other accounts' partitions. So the movement may complete a
     * pattern whose window ends after it; every window that contains it is tried: the one ending at
     * it, then those ending at a later movement less than a window away. In order, only the first.
     */
    private Match anyWindow(long now, List<AccountActivity> recent, WindowCheck check)
            throws Exception {
        Match match = check.at(now);
        if (match != null) {
            return match;
        }
        TreeSet<Long> laterEnds = new TreeSet<>();
        for (AccountActivity a : recent) {
            if (a.time > now && a.time < now + window.toMillis()) {
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
    private List<AccountActivity> inWindow(
            List<AccountActivity> recent, AccountActivity current, long end) {
        long since = end - window.toMillis();
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
                    score((double) ids.size() / maxCount),
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
                    score((double) value / maxValueMinor),
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

    private Match amountSpike(MoneyMovement m, AccountProfile profile) {
        if (profile.outflowCount < minHistory || m.getAmountMinor() < minAmountMinor) {
            return null;
        }
        double limit = multiplier * profile.averageOutflowMinor;
        if (m.getAmountMinor() <= limit) {
            return null;
        }
        return new Match(
                score(m.getAmountMinor() / limit),
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

    private Match fanOut(
            MoneyMovement m,
            long now,
            List<AccountActivity> recent,
            AccountActivity current,
            CounterpartyHistory history)
            throws Exception {
        String payee = m.getDestinationAccountId();
        if (payee == null) {
            return null;
        }
        Long paidBefore = history.firstPaid(payee);
        if (paidBefore != null && paidBefore <= now) {
            // Only paying someone new completes a fan-out; paying one of them again adds nothing.
            return null;
        }
        return anyWindow(
                now,
                recent,
                end -> {
                    long since = end - window.toMillis();
                    // First payment to each counterparty that was new within the window.
                    Map<String, String> firstPayment = new LinkedHashMap<>();
                    for (AccountActivity a : inWindow(recent, current, end)) {
                        if (a.inflow
                                || a.counterparty == null
                                || firstPayment.containsKey(a.counterparty)) {
                            continue;
                        }
                        Long first = a == current ? paidBefore : history.firstPaid(a.counterparty);
                        if (first == null || first > since) {
                            firstPayment.put(a.counterparty, a.transactionId);
                        }
                    }
                    if (firstPayment.size() <= maxNewCounterparties) {
                        return null;
                    }
                    return new Match(
                            score((double) firstPayment.size() / maxNewCounterparties),
                            new ArrayList<>(firstPayment.values()),
                            String.format(
                                    Locale.ROOT,
                                    "Paid %d counterparties it had never paid before within %s;"
                                            + " the limit is %d.",
                                    firstPayment.size(),
                                    human(window),
                                    maxNewCounterparties));
                });
    }

    private Match structuring(MoneyMovement m, List<AccountActivity> in) {
        if (!nearThreshold(m.getAmountMinor())) {
            return null;
        }
        boolean inflow = m.getType() == MovementType.DEPOSIT;
        List<String> ids = new ArrayList<>();
        for (AccountActivity a : in) {
            if (a.inflow == inflow && nearThreshold(a.amountMinor)) {
                ids.add(a.transactionId);
            }
        }
        if (ids.size() < minCount) {
            return null;
        }
        return new Match(
                score((double) ids.size() / minCount),
                ids,
                String.format(
                        Locale.ROOT,
                        "%d %s within %s each just under the reporting threshold of %s %s"
                                + " (within %d%%); %d or more look like structuring.",
                        ids.size(),
                        inflow ? "deposits" : "outgoing movements",
                        human(window),
                        money(thresholdMinor, m),
                        m.getCurrency(),
                        marginPercent,
                        minCount));
    }

    private boolean nearThreshold(long amountMinor) {
        // amount * 100 >= threshold * (100 - margin), exact for any amount
        return amountMinor < thresholdMinor
                && MinorUnitMath.compareProducts(
                                amountMinor, 100, thresholdMinor, 100 - marginPercent)
                        >= 0;
    }

    private Match rapidInOut(MoneyMovement m, List<AccountActivity> moves) {
        List<String> ids = new ArrayList<>();
        long in = 0;
        long out = 0;
        for (AccountActivity a : moves) {
            ids.add(a.transactionId);
            if (a.inflow) {
                in = MinorUnitMath.saturatedAdd(in, a.amountMinor);
            } else {
                out = MinorUnitMath.saturatedAdd(out, a.amountMinor);
            }
        }
        // out * 100 < in * ratio, exact in 128 bits
        if (in < minAmountMinor || MinorUnitMath.compareProducts(out, 100, in, ratioPercent) < 0) {
            return null;
        }
        return new Match(
                score((double) out * 100 / ((double) in * ratioPercent)),
                ids,
                String.format(
                        Locale.ROOT,
                        "Received %s %s and sent %s on within %s (%d%% of it; the limit is"
                                + " %d%%).",
                        money(in, m),
                        m.getCurrency(),
                        money(out, m),
                        human(window),
                        out * 100 / in,
                        ratioPercent));
    }

    private Match dormant(MoneyMovement m, long now, AccountProfile profile) {
        if (profile.lastActiveTime == 0 || m.getAmountMinor() < minAmountMinor) {
            return null;
        }
        long idle = now - profile.lastActiveTime;
        if (idle < dormantFor.toMillis()) {
            return null;
        }
        return new Match(
                score((double) idle / dormantFor.toMillis()),
                List.of(m.getTransactionId()),
                String.format(
                        Locale.ROOT,
                        "First movement of %s %s after %s without activity; dormant means %s.",
                        money(m.getAmountMinor(), m),
                        m.getCurrency(),
                        human(Duration.ofMillis(idle)),
                        human(dormantFor)));
    }

    /** 0.5 just past the threshold, growing to 1 at twice the threshold. */
    static double score(double ratioToThreshold) {
        return Math.round(Math.min(1.0, ratioToThreshold / 2) * 1000) / 1000.0;
    }

    private static String money(long minor, MoneyMovement m) {
        try {
            return MinorUnits.format(minor, m.getCurrency());
        } catch (RuntimeException e) {
            return minor + " minor units";
        }
    }

    static String human(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " hours";
        }
        if (d.toMinutes() >= 2) {
            return d.toMinutes() + " minutes";
        }
        return d.toSeconds() + " seconds";
    }
}
