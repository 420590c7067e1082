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
 * {@code RAPID_IN_OUT}: at least {@code minAmountMinor} received and at least {@code ratioPercent}
 * of it sent on within a window (an account used as a pass-through).
 */
record RapidInOutRule(
        FraudRule rule, String currency, Duration window, long minAmountMinor, long ratioPercent)
        implements WindowedRule {

    static RapidInOutRule parse(FraudRule rule, String currency, FraudThresholds t)
            throws InvalidFraudRuleException {
        Duration window = t.window();
        long minAmountMinor = t.positiveLong("minAmountMinor");
        long ratioPercent = t.positiveLong("ratioPercent", 80);
        return new RapidInOutRule(rule, currency, window, minAmountMinor, ratioPercent);
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
        return anyWindow(now, recent, end -> rapidInOut(m, inWindow(recent, current, end)));
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
                Match.score((double) out * 100 / ((double) in * ratioPercent)),
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
}
