package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.FraudAlert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How one account's matches of one rule become one alert: the matches of a burst of activity form
 * an alert window, and the alert is that window, revised as matches join it.
 *
 * <p>Why: the screen judges every movement, and once an account's activity is past a rule's
 * threshold every further movement matches too. One alert per match buried analysts (a short local
 * run raised 46,330 {@code velocity-count-10m} alerts); one per account, rule and burst, with how
 * many movements matched and the latest of them, is what an analyst can work with.
 *
 * <p>A match joins the window when its event time lies within {@link AlertWindowSettings#gap} of
 * the window's latest match and within {@link AlertWindowSettings#longest} of its first: a burst
 * that never stops still gives a fresh alert every {@code longest}. Plain functions of {@link
 * FraudAlert} records, so the rules are tested without Flink; {@link FraudAlertWindows} keeps the
 * windows in state.
 */
public final class AlertWindow {

    private AlertWindow() {}

    /** A window opened by its first match: the match, under the window's id, counted once. */
    public static FraudAlert open(FraudAlert match) {
        return FraudAlert.newBuilder(match)
                .setAlertId(
                        windowId(
                                match.getRuleId(),
                                match.getPartnerId(),
                                match.getAccountId(),
                                match.getTransactionId()))
                .setMatches(1)
                .setFirstEventTime(match.getEventTime())
                .setLastDetectedTime(match.getDetectedTime())
                .setLatestTransactionIds(List.of(match.getTransactionId()))
                .build();
    }

    /** True if {@code match} (the same account and rule) belongs to {@code window}. */
    public static boolean admits(
            FraudAlert window, FraudAlert match, AlertWindowSettings settings) {
        Instant first = window.getFirstEventTime();
        Instant at = match.getEventTime();
        Instant latest = window.getEventTime();
        boolean nearLatest =
                !at.isAfter(latest.plus(settings.gap()))
                        && !at.isBefore(latest.minus(settings.gap()));
        boolean withinSpan =
                !at.isAfter(first.plus(settings.longest()))
                        && !at.isBefore(first.minus(settings.gap()));
        return nearLatest && withinSpan;
    }

    /**
     * The window with {@code match} joined: counted, its movement now the latest, the highest score
     * kept, the first match's id, detection and event time unchanged.
     */
    public static FraudAlert join(
            FraudAlert window, FraudAlert match, AlertWindowSettings settings) {
        List<String> latest = new ArrayList<>(window.getLatestTransactionIds());
        latest.add(match.getTransactionId());
        if (latest.size() > settings.latestKept()) {
            latest =
                    new ArrayList<>(
                            latest.subList(latest.size() - settings.latestKept(), latest.size()));
        }
        Instant first = window.getFirstEventTime();
        if (match.getEventTime().isBefore(first)) {
            first = match.getEventTime(); // out of order within the gap
        }
        return FraudAlert.newBuilder(match)
                .setAlertId(window.getAlertId())
                .setDetectedTime(window.getDetectedTime())
                .setScore(Math.max(window.getScore(), match.getScore()))
                .setBlocked(window.getBlocked() || match.getBlocked())
                .setMatches(window.getMatches() + 1)
                .setFirstEventTime(first)
                .setLastDetectedTime(match.getDetectedTime())
                .setLatestTransactionIds(latest)
                .build();
    }

    /**
     * The same rule, account and first match give the same id: a window rebuilt after a restart
     * (from the same checkpointed state and the same input) publishes under the same id, and the
     * stores keep one row.
     */
    static String windowId(String ruleId, String partnerId, String accountId, String firstMatch) {
        String name = String.join("\u0000", "window", ruleId, partnerId, accountId, firstMatch);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
