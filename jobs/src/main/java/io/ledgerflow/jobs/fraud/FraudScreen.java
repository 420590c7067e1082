package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudMode;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.DeadLetters;
import io.ledgerflow.flink.StateRetention;
import io.ledgerflow.flink.types.AvroRecordSerializer;
import io.ledgerflow.jobs.results.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Screens every money movement against the fraud rules before the ledger sees it, keyed by the
 * account the movement acts on first (the same key as the ledger), with the rules as broadcast
 * state that every parallel instance holds.
 *
 * <p>A movement that matches an enabled rule raises a {@link FraudAlert}. If any matching rule is
 * in {@link FraudMode#BLOCK} mode the movement is not forwarded: it gets its one terminal result
 * here, {@code REJECTED} with {@code FRAUD_SUSPECTED}, before any money moves, so every ledger
 * invariant holds as for any other rejection. Otherwise it is forwarded unchanged. With no rules in
 * force the screen forwards everything and only keeps each account's profile and first payments, so
 * a profile rule added later judges accounts by their history rather than from scratch.
 *
 * <p>The screen judges what its subclass lets in ({@link #screen}) and observes money arriving at
 * the account ({@link #observeInflow}); it does not know where either comes from. In the ledger job
 * the subclass is {@code ledger.AdmissionAndScreen}, which runs admission first in the same
 * operator (the account's requests in the order they were accepted, each once the idempotency gate
 * has admitted its id), so this package depends on nothing of the ledger's.
 *
 * <p>State per account: its recent movements (only while a windowed rule is in force; pruned to
 * {@code activityRetention} by event time and to {@code maxActivities}, appended to and rewritten
 * pruned only now and then ({@link RecentActivity}), and cleared by a processing-time timer once
 * the account has been quiet that long), its profile (running average, last activity) and the
 * counterparties it has paid (both with state TTL {@code profileRetention}). Design and trade-offs:
 * {@code DISCUSSION.md} next to this class.
 */
public abstract class FraudScreen<IN>
        extends KeyedBroadcastProcessFunction<String, IN, FraudRule, LedgerRequest> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FraudScreen.class);

    /** The rules in force, by rule id: the broadcast state every instance holds. */
    public static final MapStateDescriptor<String, FraudRule> RULES =
            new MapStateDescriptor<>(
                    "fraud-rules", Types.STRING, new AvroTypeInfo<>(FraudRule.class));

    public static final OutputTag<FraudAlert> ALERTS =
            new OutputTag<>("fraud-alerts", AvroRecordSerializer.typeOf(FraudAlert.class));

    /** Results of blocked movements: REJECTED with FRAUD_SUSPECTED. */
    public static final OutputTag<TransactionResult> BLOCKED =
            new OutputTag<>("fraud-blocked", AvroRecordSerializer.typeOf(TransactionResult.class));

    /** Rule records that were refused (invalid thresholds, stale version). */
    public static final OutputTag<DeadLetter> REFUSED_RULES =
            new OutputTag<>("fraud-refused-rules", DeadLetters.TYPE);

    /** The most transaction ids one alert names ({@link #triggering}). */
    static final int MAX_TRIGGERING_IDS = 25;

    public static final String INVALID_RULE = "INVALID_FRAUD_RULE";
    public static final String STALE_RULE = "STALE_FRAUD_RULE_VERSION";

    private final FraudScreenSettings settings;
    private final String jobName;
    private final String rulesTopic;

    private transient ListState<AccountActivity> recent;
    private transient ValueState<Integer> recentLength;
    private transient RecentActivity recentView;
    private transient ValueState<AccountProfile> profile;
    private transient MapState<String, Long> firstPaid;
    private transient ValueState<Long> lastScreened;
    private transient ValueState<Long> cleanupAt;
    private transient List<ScreeningRule> inForce;

    protected FraudScreen(FraudScreenSettings settings, String jobName, String rulesTopic) {
        this.settings = settings;
        this.jobName = jobName;
        this.rulesTopic = rulesTopic;
    }

    /** Transfers, withdrawals and holds: money the account's holder sends away. */
    static boolean isOutflow(MovementType type) {
        return type == MovementType.TRANSFER
                || type == MovementType.WITHDRAWAL
                || type == MovementType.HOLD;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateRetention.afterLastWrite(settings.profileRetention());
        ValueStateDescriptor<AccountProfile> profileDescriptor =
                new ValueStateDescriptor<>(
                        "fraud-profile", TypeInformation.of(AccountProfile.class));
        profileDescriptor.enableTimeToLive(ttl);
        profile = getRuntimeContext().getState(profileDescriptor);
        MapStateDescriptor<String, Long> paidDescriptor =
                new MapStateDescriptor<>("fraud-first-paid", Types.STRING, Types.LONG);
        paidDescriptor.enableTimeToLive(ttl);
        firstPaid = getRuntimeContext().getMapState(paidDescriptor);
        recent =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "fraud-recent", TypeInformation.of(AccountActivity.class)));
        // How many movements the list holds as stored (appends since its last rewrite included),
        // so an inflow is appended without reading the list (RecentActivity).
        recentLength =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("fraud-recent-length", Types.INT));
        recentView = new RecentActivity(settings);
        lastScreened =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("fraud-last-screened", Types.LONG));
        cleanupAt =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("fraud-cleanup-at", Types.LONG));
        inForce = null;
    }

    /** Money arriving at the account (a transfer's destination), for rapid in-and-out. */
    protected final void observeInflow(AccountActivity inflow, ReadOnlyContext ctx)
            throws Exception {
        if (windowedRuleInForce(ctx)) {
            Integer length = recentLength.value();
            if (recentView.appendable(length, length == null ? 0 : length)) {
                recent.add(inflow);
                recentLength.update(length + 1);
            } else {
                rewrite(recentView.keptWith(storedActivities(), inflow));
            }
            touch(ctx);
        }
    }

    /** Judges one admitted request and forwards it to the ledger unless a BLOCK rule matched. */
    protected final void screen(
            LedgerRequest request, ReadOnlyContext ctx, Collector<LedgerRequest> out)
            throws Exception {
        if (request.getRequest() instanceof AccountCommand command) {
            if (command.getType() == AccountCommandType.OPEN) {
                AccountProfile p = profileOrNew();
                p.recordActive(command.getEventTime().toEpochMilli());
                profile.update(p);
                touch(ctx);
            }
            out.collect(request);
            return;
        }
        MoneyMovement m = (MoneyMovement) request.getRequest();
        long time = m.getEventTime().toEpochMilli();
        boolean outflow = isOutflow(m.getType());
        if (!outflow && m.getType() != MovementType.DEPOSIT) {
            out.collect(request); // capture, void, refund: their movement was screened
            return;
        }
        // The recent movements are kept and read only while a windowed rule is in force: they are
        // the screen's most expensive state (a list read and rewritten per movement).
        boolean windowed = windowedRuleInForce(ctx);
        List<AccountActivity> stored = windowed ? storedActivities() : List.of();
        List<AccountActivity> before = windowed ? recentView.kept(stored) : List.of();
        AccountProfile p = profileOrNew();
        List<FraudAlert> alerts = evaluate(m, time, before, p, ctx);
        boolean blocked = alerts.stream().anyMatch(FraudAlert::getBlocked);
        for (FraudAlert alert : alerts) {
            ctx.output(ALERTS, alert);
        }
        touch(ctx);
        if (blocked) {
            ctx.output(BLOCKED, rejection(m, alerts, ctx));
            return; // money never moved: nothing to learn from it
        }
        if (outflow) {
            if (windowed) {
                remember(
                        stored,
                        before.size(),
                        new AccountActivity(
                                time,
                                m.getTransactionId(),
                                m.getAmountMinor(),
                                m.getDestinationAccountId(),
                                false));
            }
            p.recordOutflow(m.getAmountMinor(), time);
            profile.update(p);
            String payee = m.getDestinationAccountId();
            if (payee != null) {
                Long first = firstPaid.get(payee);
                // Written on every payment so that TTL keeps regular payees known.
                firstPaid.put(payee, first == null ? time : Math.min(first, time));
            }
        } else if (windowed) {
            remember(
                    stored,
                    before.size(),
                    new AccountActivity(
                            time, m.getTransactionId(), m.getAmountMinor(), null, true));
        }
        out.collect(request);
    }

    private List<FraudAlert> evaluate(
            MoneyMovement m,
            long time,
            List<AccountActivity> before,
            AccountProfile p,
            ReadOnlyContext ctx)
            throws Exception {
        List<ScreeningRule> matched = new ArrayList<>();
        List<ScreeningRule.Match> matches = new ArrayList<>();
        boolean blocked = false;
        for (ScreeningRule rule : rulesInForce(ctx.getBroadcastState(RULES))) {
            if (!rule.screens(m)) {
                continue;
            }
            ScreeningRule.Match match = rule.evaluate(m, time, before, p, firstPaid::get);
            if (match != null) {
                matched.add(rule);
                matches.add(match);
                blocked |= rule.rule().getMode() == FraudMode.BLOCK;
            }
        }
        List<FraudAlert> alerts = new ArrayList<>(matched.size());
        for (int i = 0; i < matched.size(); i++) {
            alerts.add(alert(matched.get(i).rule(), matches.get(i), blocked, m, ctx));
        }
        return alerts;
    }

    /**
     * The rules in force, in rule id order (the same order at every instance). Parsed once per
     * change: the list is dropped when a rule arrives, and rebuilt from the broadcast state (also
     * after a restore) at the next movement.
     */
    private boolean windowedRuleInForce(ReadOnlyContext ctx) throws Exception {
        for (ScreeningRule rule : rulesInForce(ctx.getBroadcastState(RULES))) {
            if (rule instanceof WindowedRule) {
                return true;
            }
        }
        return false;
    }

    private List<ScreeningRule> rulesInForce(ReadOnlyBroadcastState<String, FraudRule> rules)
            throws Exception {
        if (inForce == null) {
            List<ScreeningRule> parsed = new ArrayList<>();
            for (Map.Entry<String, FraudRule> e : rules.immutableEntries()) {
                parsed.add(ScreeningRule.parse(e.getValue(), settings));
            }
            parsed.sort(Comparator.comparing(r -> r.rule().getRuleId()));
            inForce = parsed;
        }
        return inForce;
    }

    @Override
    public void processBroadcastElement(FraudRule rule, Context ctx, Collector<LedgerRequest> out)
            throws Exception {
        // Every instance gets every rule; one of them speaks for all in the dead letters.
        boolean speaker = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        try {
            ScreeningRule.parse(rule, settings);
        } catch (InvalidFraudRuleException e) {
            LOG.warn(
                    "Refused fraud rule {} v{}: {}",
                    rule.getRuleId(),
                    rule.getVersion(),
                    e.getMessage());
            if (speaker) {
                ctx.output(REFUSED_RULES, refused(rule, INVALID_RULE, e.getMessage(), ctx));
            }
            return;
        }
        BroadcastState<String, FraudRule> rules = ctx.getBroadcastState(RULES);
        FraudRule current = rules.get(rule.getRuleId());
        if (current != null && current.getVersion() >= rule.getVersion()) {
            if (!current.equals(rule)) {
                String why =
                        "version "
                                + rule.getVersion()
                                + " is not newer than version "
                                + current.getVersion()
                                + " in force";
                LOG.warn("Refused fraud rule {}: {}", rule.getRuleId(), why);
                if (speaker) {
                    ctx.output(REFUSED_RULES, refused(rule, STALE_RULE, why, ctx));
                }
            }
            return; // the same version again (a republished rule file): nothing changes
        }
        rules.put(rule.getRuleId(), rule);
        inForce = null;
        LOG.info(
                "Fraud rule {} v{} ({}, {}, {}) now in force, changed by {} at {}: {} {}",
                rule.getRuleId(),
                rule.getVersion(),
                rule.getRuleType(),
                rule.getMode(),
                rule.getEnabled() ? "enabled" : "disabled",
                rule.getChangedBy(),
                rule.getChangedAt(),
                rule.getThresholds(),
                rule.getDescription());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LedgerRequest> out)
            throws Exception {
        Long last = lastScreened.value();
        long quietUntil = (last == null ? 0 : last) + settings.activityRetention().toMillis();
        if (quietUntil > timestamp) {
            // Active since the timer was set: look again when it could be quiet.
            ctx.timerService().registerProcessingTimeTimer(quietUntil);
            cleanupAt.update(quietUntil);
            return;
        }
        // Quiet for longer than any window: the recent movements can no longer match anything.
        recent.clear();
        recentLength.clear();
        lastScreened.clear();
        cleanupAt.clear();
    }

    /** Keeps one cleanup timer per account, re-armed lazily when it fires. */
    private void touch(ReadOnlyContext ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        lastScreened.update(now);
        if (cleanupAt.value() == null) {
            long at = now + settings.activityRetention().toMillis();
            ctx.timerService().registerProcessingTimeTimer(at);
            cleanupAt.update(at);
        }
    }

    /** The account's recent movements as stored, in the order they were remembered. */
    private List<AccountActivity> storedActivities() throws Exception {
        List<AccountActivity> list = new ArrayList<>();
        Iterable<AccountActivity> stored = recent.get();
        if (stored != null) {
            stored.forEach(list::add);
        }
        return list;
    }

    /**
     * Remembers a movement screened here: appended while the stored list holds few movements the
     * rules no longer see, else the list is rewritten pruned ({@link RecentActivity}).
     */
    private void remember(List<AccountActivity> stored, int seen, AccountActivity activity)
            throws Exception {
        Integer length = recentLength.value();
        if (recentView.appendable(length, seen) && length == stored.size()) {
            recent.add(activity);
            recentLength.update(stored.size() + 1);
        } else {
            rewrite(recentView.keptWith(stored, activity));
        }
    }

    private void rewrite(List<AccountActivity> kept) throws Exception {
        recent.update(kept);
        recentLength.update(kept.size());
    }

    private AccountProfile profileOrNew() throws Exception {
        AccountProfile p = profile.value();
        return p != null ? p : new AccountProfile();
    }

    private FraudAlert alert(
            FraudRule rule,
            ScreeningRule.Match match,
            boolean movementBlocked,
            MoneyMovement m,
            ReadOnlyContext ctx) {
        boolean blocks = rule.getMode() == FraudMode.BLOCK;
        String outcome =
                blocks
                        ? " The movement was blocked."
                        : movementBlocked
                                ? " The movement was blocked by another rule."
                                : " The movement went ahead.";
        return FraudAlert.newBuilder()
                .setAlertId(alertId(rule.getRuleId(), m))
                .setRuleId(rule.getRuleId())
                .setRuleVersion(rule.getVersion())
                .setRuleType(rule.getRuleType())
                .setMode(rule.getMode())
                .setSeverity(rule.getSeverity())
                .setScore(match.score())
                .setPartnerId(m.getPartnerId())
                .setAccountId(ctx.getCurrentKey())
                .setTransactionId(m.getTransactionId())
                .setMovementType(m.getType())
                .setAmountMinor(m.getAmountMinor())
                .setCurrency(m.getCurrency())
                .setTriggeringTransactionIds(
                        triggering(match.triggeringTransactionIds(), m.getTransactionId()))
                .setExplanation(match.explanation() + outcome)
                .setBlocked(blocks)
                .setEventTime(m.getEventTime())
                .setDetectedTime(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                .build();
    }

    /**
     * The ids an alert names: the match's, at most the latest {@link #MAX_TRIGGERING_IDS}, always
     * with the screened movement's own. Why a bound: once an account is past a windowed rule's
     * threshold every movement matches, and a match names every movement of the window (up to
     * {@code maxActivities}); the alert windows keep the latest match in state, so unbounded lists
     * were written and read back on every movement of a busy account. The explanation still gives
     * the full count.
     */
    static List<String> triggering(List<String> ids, String own) {
        if (ids.size() <= MAX_TRIGGERING_IDS) {
            return ids;
        }
        List<String> latest =
                new ArrayList<>(ids.subList(ids.size() - MAX_TRIGGERING_IDS, ids.size()));
        if (!latest.contains(own)) {
            latest.set(0, own);
        }
        return latest;
    }

    /** Same rule, same movement, same id: a replay after a restart is recognised downstream. */
    static String alertId(String ruleId, MoneyMovement m) {
        String name = ruleId + "\u0000" + m.getPartnerId() + "\u0000" + m.getTransactionId();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private TransactionResult rejection(
            MoneyMovement m, List<FraudAlert> alerts, ReadOnlyContext ctx) {
        StringBuilder detail = new StringBuilder("Blocked by fraud rule");
        for (FraudAlert a : alerts) {
            if (a.getBlocked()) {
                detail.append(' ').append(a.getRuleId()).append(": ").append(a.getExplanation());
            }
        }
        return Rejection.of(ReasonCode.FRAUD_SUSPECTED, detail.toString())
                .resultFor(m, Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()));
    }

    private DeadLetter refused(FraudRule rule, String reason, String why, Context ctx) {
        return DeadLetters.pastTheSource(
                rulesTopic,
                String.valueOf(rule.getRuleId()),
                null,
                reason,
                "fraud rule "
                        + rule.getRuleId()
                        + " v"
                        + rule.getVersion()
                        + " refused, the previous version stays in force: "
                        + why
                        + "; "
                        + rule,
                jobName,
                Instant.ofEpochMilli(ctx.currentProcessingTime()));
    }
}
