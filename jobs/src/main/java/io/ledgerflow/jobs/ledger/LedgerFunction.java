package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.InstructionKind;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.DeadLetters;
import io.ledgerflow.flink.StateRetention;
import io.ledgerflow.flink.types.AvroRecordSerializer;
import io.ledgerflow.jobs.results.Rejection;
import io.ledgerflow.schemas.LedgerEntryHash;
import io.ledgerflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger: keyed by account, it owns each account's balance, holds and refundable credits and
 * applies one leg of every movement at a time.
 *
 * <p>A movement touching two accounts is applied in two steps, each at its own account's key (see
 * DISCUSSION.md): the first input carries requests, keyed by the account debited first; the second
 * input carries the ledger's own {@link LedgerInstruction}s (credit the other side, compensate a
 * refused credit, post the system account's side), which travel through a Kafka topic written and
 * read exactly-once. Every accepted transaction gets exactly one terminal {@link TransactionResult}
 * on the main output; postings, account states, command results and instructions go to side
 * outputs.
 */
public class LedgerFunction
        extends KeyedCoProcessFunction<
                String, LedgerRequest, LedgerInstruction, TransactionResult> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<LedgerEntry> LEDGER_ENTRIES =
            new OutputTag<>("ledger-entries", AvroRecordSerializer.typeOf(LedgerEntry.class));
    public static final OutputTag<AccountState> ACCOUNT_STATES =
            new OutputTag<>("account-states", AvroRecordSerializer.typeOf(AccountState.class));
    public static final OutputTag<AccountCommandResult> COMMAND_RESULTS =
            new OutputTag<>(
                    "account-command-results",
                    AvroRecordSerializer.typeOf(AccountCommandResult.class));
    public static final OutputTag<LedgerInstruction> INSTRUCTIONS =
            new OutputTag<>(
                    "ledger-instructions", AvroRecordSerializer.typeOf(LedgerInstruction.class));

    /** Requests and credits whose decision threw (a bug), refused or returned; with the cause. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("ledger-internal-errors", DeadLetters.TYPE);

    /** Counter of decisions that threw: each one is a bug to fix (alert on any increase). */
    public static final String INTERNAL_ERRORS_METRIC = "ledgerInternalErrors";

    private static final Logger LOG = LoggerFactory.getLogger(LedgerFunction.class);

    /** Owner of the per-currency system accounts that stand for the outside world. */
    public static final String SYSTEM_PARTNER = "ledgerflow";

    /** Prefix of system account ids; partners cannot open such accounts. */
    public static final String SYSTEM_ACCOUNT_PREFIX = "SYSTEM-";

    /**
     * How long a request waits at its account for what it depends on (the account's OPEN, the hold
     * it captures or voids, the credit it refunds) before it is refused as unknown. See {@link
     * #parkingReason}.
     */
    public static final Duration DEFAULT_PARK_WINDOW = Duration.ofSeconds(10);

    private final Duration holdExpiry;
    private final Duration maxHoldExpiry;
    private final long maxOverdraftLimit;
    private final Duration refundWindow;
    private final Duration endedHoldRetention;
    private final int systemAccountShards;
    private final Duration parkWindow;
    private final String requestsTopic;
    private final String instructionsTopic;

    private transient ValueState<AccountRecord> account;
    private transient MapState<String, HoldRecord> holds;
    private transient MapState<String, RefundableCredit> refundables;

    /** Parked requests by arrival number, and when each stops waiting. */
    private transient MapState<Long, LedgerRequest> parked;

    private transient MapState<Long, Long> parkedUntil;
    private transient ValueState<Long> parkedCount;
    private transient ValueState<Long> lastParked;

    private transient Counter internalErrors;

    /** The decision rules; plain Java, built from the settings at open. */
    private transient LedgerRules rules;

    /** What the decision running now changes; null between decisions. */
    private transient StagedDecision staged;

    /** With the default park window and the topics' unprefixed names (tests, harnesses). */
    public LedgerFunction(
            Duration holdExpiry,
            Duration refundWindow,
            Duration endedHoldRetention,
            int systemAccountShards) {
        this(
                holdExpiry,
                refundWindow,
                endedHoldRetention,
                systemAccountShards,
                DEFAULT_PARK_WINDOW,
                Topics.LEDGER_REQUESTS,
                Topics.LEDGER_INSTRUCTIONS);
    }

    /**
     * With the default bounds of a HOLD's own expiry and of overdraft limits ({@link
     * LedgerSettings#DEFAULT_MAX_HOLD_EXPIRY}, unbounded limits). The topics only name where a dead
     * letter's request or instruction came from.
     */
    public LedgerFunction(
            Duration holdExpiry,
            Duration refundWindow,
            Duration endedHoldRetention,
            int systemAccountShards,
            Duration parkWindow,
            String requestsTopic,
            String instructionsTopic) {
        this(
                new LedgerSettings(
                        Duration.ofDays(7),
                        holdExpiry,
                        endedHoldRetention,
                        refundWindow,
                        systemAccountShards,
                        parkWindow),
                requestsTopic,
                instructionsTopic);
    }

    /**
     * The ledger as {@code settings} say (its dedup retention is the gate's, not used here). The
     * topics only name where a dead letter's request or instruction came from.
     */
    public LedgerFunction(LedgerSettings settings, String requestsTopic, String instructionsTopic) {
        this.requestsTopic = requestsTopic;
        this.instructionsTopic = instructionsTopic;
        this.holdExpiry = settings.holdExpiry();
        this.maxHoldExpiry = settings.maxHoldExpiry();
        this.maxOverdraftLimit = settings.maxOverdraftLimit();
        this.refundWindow = settings.refundWindow();
        this.endedHoldRetention = settings.endedHoldRetention();
        this.systemAccountShards = settings.systemAccountShards();
        this.parkWindow = settings.parkWindow();
    }

    /** With the topics' unprefixed names (tests, harnesses). */
    public LedgerFunction(LedgerSettings settings) {
        this(settings, Topics.LEDGER_REQUESTS, Topics.LEDGER_INSTRUCTIONS);
    }

    /** The system account of {@code currency} that posts the outside leg of {@code txId}. */
    public static String systemAccountId(String currency, String transactionId, int shards) {
        // Sharded so that deposits and withdrawals of one currency do not all queue on one key.
        int shard = Math.floorMod(transactionId.hashCode(), shards);
        return SYSTEM_ACCOUNT_PREFIX + currency + "-" + shard;
    }

    /**
     * The system account of {@code currency} that holds returned funds which could not go back to
     * their payer (see {@link #compensate}); an operator settles it.
     */
    public static String suspenseAccountId(String currency) {
        return SYSTEM_ACCOUNT_PREFIX + currency + "-SUSPENSE";
    }

    @Override
    public void open(OpenContext openContext) {
        internalErrors = getRuntimeContext().getMetricGroup().counter(INTERNAL_ERRORS_METRIC);
        rules = new LedgerRules(holdExpiry, maxHoldExpiry, maxOverdraftLimit, systemAccountShards);
        account =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("account", AccountRecord.class));

        // A hold lives until it expires (its own expiry, at most maxHoldExpiry); once ended it is
        // kept a while to answer late captures and voids precisely (HOLD_EXPIRED, INVALID_STATE),
        // then dropped by TTL. Only the TTL's duration changed with per-hold expiry, which a
        // restore accepts (switching TTL on or off it would not).
        MapStateDescriptor<String, HoldRecord> holdsDescriptor =
                new MapStateDescriptor<>("holds", String.class, HoldRecord.class);
        Duration longestOpen =
                holdExpiry.compareTo(maxHoldExpiry) >= 0 ? holdExpiry : maxHoldExpiry;
        holdsDescriptor.enableTimeToLive(
                StateRetention.afterLastWrite(longestOpen.plus(endedHoldRetention)));
        holds = getRuntimeContext().getMapState(holdsDescriptor);

        MapStateDescriptor<String, RefundableCredit> refundablesDescriptor =
                new MapStateDescriptor<>(
                        "refundable-credits", String.class, RefundableCredit.class);
        refundablesDescriptor.enableTimeToLive(StateRetention.afterLastWrite(refundWindow));
        refundables = getRuntimeContext().getMapState(refundablesDescriptor);

        // Emptied by the park timers (released or refused), so no TTL is needed.
        parked =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "parked-requests",
                                        Types.LONG,
                                        new AvroTypeInfo<>(LedgerRequest.class)));
        parkedUntil =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("parked-until", Types.LONG, Types.LONG));
        parkedCount =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("parked-count", Types.LONG));
        lastParked =
                getRuntimeContext().getState(new ValueStateDescriptor<>("last-parked", Types.LONG));
    }

    // ---------------------------------------------------------------- requests (first legs)

    @Override
    public void processElement1(
            LedgerRequest request, Context ctx, Collector<TransactionResult> out) throws Exception {
        AccountRecord current = account.value();
        if (parkedCount.value() != null || parkingReason(request, current) != null) {
            // Waiting itself, or behind a request that waits: decided in arrival order.
            park(request, ctx);
            return;
        }
        decide(request, current, ctx, out);
    }

    // ---------------------------------------------------------------- parking

    /**
     * Why {@code request} cannot be decided yet at this account, or null. One account's requests
     * reach this function in the order the API accepted them ({@link Admission}), so an OPEN comes
     * before its account's deposits and a hold before its capture. Only a refund can arrive before
     * what it depends on: the credit it refunds travels through the instruction loop, and so
     * arrives later than a quick refund request. Refusing it would be wrong, so it waits here, in
     * keyed state (checkpointed like everything else), until the credit arrives or {@link
     * #parkWindow} passes; then it is decided as usual, which refuses it.
     */
    private String parkingReason(LedgerRequest request, AccountRecord current) throws Exception {
        if (current != null
                && request.getRequest() instanceof MoneyMovement m
                && m.getType() == MovementType.REFUND
                && refundable(m.getRelatedTransactionId()) == null) {
            return "refunded credit not seen yet";
        }
        return null;
    }

    private void park(LedgerRequest request, Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Long count = parkedCount.value();
        Long last = lastParked.value();
        // Arrival numbers: increasing per account while anything is parked, so the map's order is
        // the arrival order.
        long number = Math.max(now * 1_000, last == null ? 0 : last + 1);
        long until = now + parkWindow.toMillis();
        parked.put(number, request);
        parkedUntil.put(number, until);
        parkedCount.update((count == null ? 0 : count) + 1);
        lastParked.update(number);
        ctx.timerService().registerProcessingTimeTimer(until);
    }

    /**
     * Decides the parked requests in arrival order, up to the first one that must still wait (and
     * so holds up those behind it): deciding one may unblock the next.
     */
    private void releaseParked(Context ctx, Collector<TransactionResult> out) throws Exception {
        expireParked(Long.MIN_VALUE, ctx, out);
    }

    /**
     * As {@link #releaseParked}, and a request whose window has passed by {@code time} is decided
     * as it is (which refuses it) instead of waiting longer.
     */
    private void expireParked(long time, Context ctx, Collector<TransactionResult> out)
            throws Exception {
        if (parkedCount.value() == null) {
            return;
        }
        for (Long number : parkedNumbers()) {
            LedgerRequest request = parked.get(number);
            Long until = parkedUntil.get(number);
            AccountRecord current = account.value();
            boolean expired = until == null || until <= time;
            if (!expired && parkingReason(request, current) != null) {
                return;
            }
            unpark(number, ctx);
            decide(request, current, ctx, out);
        }
    }

    private java.util.List<Long> parkedNumbers() throws Exception {
        java.util.List<Long> numbers = new java.util.ArrayList<>();
        for (Long number : parked.keys()) {
            numbers.add(number);
        }
        // Heap state does not iterate in key order; RocksDB does. Either way: arrival order.
        java.util.Collections.sort(numbers);
        return numbers;
    }

    private void unpark(long number, Context ctx) throws Exception {
        Long until = parkedUntil.get(number);
        parked.remove(number);
        parkedUntil.remove(number);
        long left = parkedCount.value() - 1;
        if (left == 0) {
            parkedCount.clear();
            lastParked.clear();
        } else {
            parkedCount.update(left);
        }
        if (until != null) {
            dropTimerIfUnused(until, ctx);
        }
    }

    // ---------------------------------------------------------------- deciding, all or nothing

    /**
     * Decides {@code request} and applies what it changes, or, if the rules throw (a bug: every
     * refusal the rules know is a result, never an exception), applies nothing and refuses it with
     * {@code INTERNAL_ERROR}, a dead letter carrying the cause, and the {@value
     * #INTERNAL_ERRORS_METRIC} metric (alert {@code LedgerflowLedgerInternalError}). The job keeps
     * running: replaying the same request after a restart would throw again, forever, and stop
     * every partner's money (see DISCUSSION.md, "A decision that throws"). {@code current} is the
     * keyed account as it is now (read once per request by the caller, which also needed it to
     * decide whether to park).
     */
    private void decide(
            LedgerRequest request,
            AccountRecord current,
            Context ctx,
            Collector<TransactionResult> out)
            throws Exception {
        staged = new StagedDecision(current == null ? null : current.copy());
        try {
            rules.apply(request, staged.account, new StagedBook(ctx));
        } catch (RuntimeException e) {
            staged = null;
            rethrowIfNotTheDecisions(e);
            refuseAfterFailure(request, e, ctx, out);
            return;
        }
        commit(ctx, out);
    }

    /**
     * Runs {@code change} staged and applies it; for what must never be refused (compensations,
     * system postings, hold expiry): if it throws, the task fails and restarts from its checkpoint,
     * with nothing of it applied.
     */
    private void applyStaged(
            AccountRecord current,
            Context ctx,
            Collector<TransactionResult> out,
            StagedChange change)
            throws Exception {
        staged = new StagedDecision(current == null ? null : current.copy());
        try {
            change.apply(staged.account);
        } catch (Exception e) {
            staged = null;
            throw e;
        }
        commit(ctx, out);
    }

    /** A change to one account, given the staged copy of it. */
    @FunctionalInterface
    private interface StagedChange {
        void apply(AccountRecord account) throws Exception;
    }

    /**
     * Failures that are not the decision's own: Flink's (a state back-end that cannot read or
     * write) fail the task as before, so it restarts and retries rather than refusing requests
     * because a disk is full.
     */
    private static void rethrowIfNotTheDecisions(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("org.apache.flink.")) {
                throw e;
            }
        }
    }

    private void commit(Context ctx, Collector<TransactionResult> out) throws Exception {
        StagedDecision done = staged;
        staged = null;
        if (done.accountChanged) {
            account.update(done.account);
        }
        for (Map.Entry<String, HoldRecord> h : done.holds.entrySet()) {
            holds.put(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, RefundableCredit> r : done.refundables.entrySet()) {
            refundables.put(r.getKey(), r.getValue());
        }
        for (StagedDecision.TimerChange t : done.timers) {
            if (t.register()) {
                ctx.timerService().registerProcessingTimeTimer(t.time());
            } else {
                ctx.timerService().deleteProcessingTimeTimer(t.time());
            }
        }
        for (StagedDecision.Emitted e : done.emitted) {
            if (e.tag() == null) {
                out.collect((TransactionResult) e.record());
            } else {
                emitTo(ctx, e.tag(), e.record());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void emitTo(Context ctx, OutputTag<T> tag, Object record) {
        ctx.output(tag, (T) record);
    }

    /** The refusal of a request whose decision threw: nothing of it was applied. */
    private void refuseAfterFailure(
            LedgerRequest request,
            RuntimeException cause,
            Context ctx,
            Collector<TransactionResult> out) {
        internalErrors.inc();
        LOG.error(
                "Deciding {} at account {} failed; refused as INTERNAL_ERROR, nothing applied",
                request,
                ctx.getCurrentKey(),
                cause);
        Rejection why =
                Rejection.of(
                        ReasonCode.INTERNAL_ERROR,
                        "the ledger could not decide this request and applied nothing of it ("
                                + cause
                                + ")");
        Instant now = Instant.ofEpochMilli(now(ctx));
        if (request.getRequest() instanceof MoneyMovement m) {
            out.collect(why.resultFor(m, now));
        } else {
            AccountCommand c = (AccountCommand) request.getRequest();
            ctx.output(
                    COMMAND_RESULTS,
                    AccountCommandResult.newBuilder()
                            .setCommandId(c.getCommandId())
                            .setPartnerId(c.getPartnerId())
                            .setAccountId(c.getAccountId())
                            .setType(c.getType())
                            .setAccepted(false)
                            .setReason(why.reason())
                            .setReasonDetail(why.detail())
                            .setDecisionTime(now)
                            .build());
        }
        ctx.output(DEAD_LETTERS, deadLetter(requestsTopic, request.toString(), cause, ctx));
    }

    private DeadLetter deadLetter(String topic, String record, Throwable cause, Context ctx) {
        java.io.StringWriter trace = new java.io.StringWriter();
        cause.printStackTrace(new java.io.PrintWriter(trace));
        // Decided from keyed state, past the source: the Kafka position is not known here.
        return DeadLetters.pastTheSource(
                topic,
                ctx.getCurrentKey(),
                record,
                ReasonCode.INTERNAL_ERROR.name(),
                trace.toString(),
                LedgerJobConfig.JOB_NAME,
                Instant.ofEpochMilli(now(ctx)));
    }

    // ---------------------------------------------------------------- staged state access

    /** The hold as the running decision sees it, or as stored when no decision runs (parking). */
    private HoldRecord hold(String id) throws Exception {
        if (staged == null) {
            return holds.get(id);
        }
        HoldRecord h = staged.holds.get(id);
        if (h == null) {
            h = holds.get(id);
            h = h == null ? null : h.copy();
        }
        return h;
    }

    private RefundableCredit refundable(String id) throws Exception {
        if (staged == null) {
            return refundables.get(id);
        }
        RefundableCredit r = staged.refundables.get(id);
        if (r == null) {
            r = refundables.get(id);
            r = r == null ? null : r.copy();
        }
        return r;
    }

    private void deleteTimer(long time, Context ctx) {
        if (staged == null) {
            ctx.timerService().deleteProcessingTimeTimer(time); // unparking, outside a decision
        } else {
            staged.timers.add(new StagedDecision.TimerChange(time, false));
        }
    }

    // ---------------------------------------------------------------- instructions (second legs)

    @Override
    public void processElement2(
            LedgerInstruction instruction, Context ctx, Collector<TransactionResult> out)
            throws Exception {
        AccountRecord current = account.value();
        switch (instruction.getKind()) {
            case CREDIT -> {
                if (decideCredit(instruction, current, ctx, out)) {
                    // A refund may have been waiting for this credit.
                    releaseParked(ctx, out);
                }
            }
            case COMPENSATE ->
                    applyStaged(
                            current,
                            ctx,
                            out,
                            source -> rules.compensate(instruction, source, new StagedBook(ctx)));
            case SYSTEM_POSTING ->
                    applyStaged(
                            current,
                            ctx,
                            out,
                            system ->
                                    rules.systemPosting(instruction, system, new StagedBook(ctx)));
            default ->
                    throw new IllegalStateException("unknown instruction " + instruction.getKind());
        }
    }

    /**
     * Decides a credit leg, staged like a request. If the rules throw, the money goes back: the
     * credit is refused as {@code INTERNAL_ERROR} and compensated, with a dead letter and the
     * metric. Returns true if the credit was posted.
     */
    private boolean decideCredit(
            LedgerInstruction ins,
            AccountRecord current,
            Context ctx,
            Collector<TransactionResult> out)
            throws Exception {
        staged = new StagedDecision(current == null ? null : current.copy());
        boolean posted;
        try {
            posted = rules.credit(ins, staged.account, new StagedBook(ctx));
        } catch (RuntimeException e) {
            rethrowIfNotTheDecisions(e);
            internalErrors.inc();
            LOG.error(
                    "Crediting {} at account {} failed; compensated as INTERNAL_ERROR",
                    ins,
                    ctx.getCurrentKey(),
                    e);
            staged = new StagedDecision(null);
            rules.instruct(
                    InstructionKind.COMPENSATE,
                    ins.getMovement(),
                    ins.getCounterpartyAccountId(),
                    ins.getAccountId(),
                    ins.getAmountMinor(),
                    Rejection.of(
                            ReasonCode.INTERNAL_ERROR,
                            "the ledger could not credit "
                                    + ins.getAccountId()
                                    + " and returned the money ("
                                    + e
                                    + ")"),
                    new StagedBook(ctx));
            staged.emit(DEAD_LETTERS, deadLetter(instructionsTopic, ins.toString(), e, ctx));
            posted = false;
        }
        commit(ctx, out);
        return posted;
    }

    // ---------------------------------------------------------------- hold expiry

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TransactionResult> out)
            throws Exception {
        applyStaged(
                account.value(),
                ctx,
                out,
                source -> rules.expireHolds(timestamp, source, new StagedBook(ctx)));
        expireParked(timestamp, ctx, out);
    }

    /**
     * Deletes the timer at {@code time} unless an open hold's expiry or a parked request's window
     * still needs it. Holds the running decision changed count as changed.
     */
    private void dropTimerIfUnused(long time, Context ctx) throws Exception {
        if (staged != null) {
            for (HoldRecord other : staged.holds.values()) {
                if (other.isOpen() && other.expiresAtMillis == time) {
                    return;
                }
            }
        }
        for (Map.Entry<String, HoldRecord> other : holds.entries()) {
            boolean superseded = staged != null && staged.holds.containsKey(other.getKey());
            HoldRecord h = other.getValue();
            if (!superseded && h.isOpen() && h.expiresAtMillis == time) {
                return;
            }
        }
        if (parkedCount.value() != null) {
            for (Long until : parkedUntil.values()) {
                if (until == time) {
                    return;
                }
            }
        }
        deleteTimer(time, ctx);
    }

    /**
     * The entry's hash. Also the seam where tests make a decision throw half-way (after the balance
     * moved), to prove that such a decision changes nothing.
     */
    String hash(LedgerEntry entry) {
        return LedgerEntryHash.of(entry);
    }

    /** The keyed account's world for the rules, over keyed state, staged in {@link #staged}. */
    private final class StagedBook implements AccountBook {

        private final Context ctx;

        StagedBook(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public String accountId() {
            return ctx.getCurrentKey();
        }

        @Override
        public long now() {
            return LedgerFunction.now(ctx);
        }

        @Override
        public void saveAccount(AccountRecord changed) {
            staged.saveAccount(changed);
        }

        @Override
        public HoldRecord hold(String id) throws Exception {
            return LedgerFunction.this.hold(id);
        }

        @Override
        public void putHold(String id, HoldRecord h) {
            staged.holds.put(id, h);
        }

        @Override
        public Iterable<Map.Entry<String, HoldRecord>> storedHolds() throws Exception {
            return holds.entries();
        }

        @Override
        public RefundableCredit refundable(String id) throws Exception {
            return LedgerFunction.this.refundable(id);
        }

        @Override
        public void putRefundable(String id, RefundableCredit r) {
            staged.refundables.put(id, r);
        }

        @Override
        public void registerTimer(long time) {
            staged.timers.add(new StagedDecision.TimerChange(time, true));
        }

        @Override
        public void dropTimerIfUnused(long time) throws Exception {
            LedgerFunction.this.dropTimerIfUnused(time, ctx);
        }

        @Override
        public String hash(LedgerEntry entry) {
            return LedgerFunction.this.hash(entry);
        }

        @Override
        public void result(TransactionResult result) {
            staged.emit(null, result);
        }

        @Override
        public void entry(LedgerEntry entry) {
            staged.emit(LEDGER_ENTRIES, entry);
        }

        @Override
        public void accountState(AccountState state) {
            staged.emit(ACCOUNT_STATES, state);
        }

        @Override
        public void commandResult(AccountCommandResult result) {
            staged.emit(COMMAND_RESULTS, result);
        }

        @Override
        public void instruction(LedgerInstruction instruction) {
            staged.emit(INSTRUCTIONS, instruction);
        }
    }

    private static long now(Context ctx) {
        return ctx.timerService().currentProcessingTime();
    }
}
