package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.jobs.fraud.Explanations.human;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.MoneyMovement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code FAN_OUT}: a payment to a counterparty never paid before that makes more than {@code
 * maxNewCounterparties} new ones within a window (money mules spreading a balance thin).
 */
record FanOutRule(FraudRule rule, String currency, Duration window, long maxNewCounterparties)
        implements WindowedRule {

    static FanOutRule parse(FraudRule rule, String currency, FraudThresholds t)
            throws InvalidFraudRuleException {
        Duration window = t.window();
        long maxNewCounterparties = t.positiveLong("maxNewCounterparties");
        return new FanOutRule(rule, currency, window, maxNewCounterparties);
    }

    @Override
    public Match evaluate(
            MoneyMovement m,
            long now,
            List<AccountActivity> recent,
            AccountProfile profile,
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
        AccountActivity current = activity(m, now);
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
                            Match.score((double) firstPayment.size() / maxNewCounterparties),
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
}
