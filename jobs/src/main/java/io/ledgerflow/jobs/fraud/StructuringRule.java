package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.jobs.fraud.Explanations.human;
import static io.ledgerflow.jobs.fraud.Explanations.money;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.money.MinorUnitMath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code STRUCTURING}: {@code minCount} or more amounts in {@code [thresholdMinor × (100 −
 * marginPercent)%, thresholdMinor)} within a window, outgoing movements and deposits counted apart.
 * The one rule that screens deposits: cash split under a reporting threshold comes in as deposits.
 */
record StructuringRule(
        FraudRule rule,
        String currency,
        Duration window,
        long thresholdMinor,
        long marginPercent,
        long minCount)
        implements WindowedRule {

    static StructuringRule parse(FraudRule rule, String currency, FraudThresholds t)
            throws InvalidFraudRuleException {
        Duration window = t.window();
        long thresholdMinor = t.positiveLong("thresholdMinor");
        long marginPercent = t.positiveLong("marginPercent", 10);
        if (marginPercent >= 100) {
            throw new InvalidFraudRuleException("marginPercent must be below 100");
        }
        long minCount = t.positiveLong("minCount");
        return new StructuringRule(rule, currency, window, thresholdMinor, marginPercent, minCount);
    }

    @Override
    public boolean screensDeposits() {
        return true;
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
        return anyWindow(now, recent, end -> structuring(m, inWindow(recent, current, end)));
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
                Match.score((double) ids.size() / minCount),
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
}
