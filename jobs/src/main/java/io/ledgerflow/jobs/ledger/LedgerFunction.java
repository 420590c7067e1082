package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.InstructionKind;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.schemas.LedgerEntryHash;
import io.ledgerflow.schemas.Topics;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
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
            new OutputTag<>("ledger-entries", new AvroTypeInfo<>(LedgerEntry.class));
    public static final OutputTag<AccountState> ACCOUNT_STATES =
            new OutputTag<>("account-states", new AvroTypeInfo<>(AccountState.class));
    public static final OutputTag<AccountCommandResult> COMMAND_RESULTS =
            new OutputTag<>(
                    "account-command-results", new AvroTypeInfo<>(AccountCommandResult.class));
    public static final OutputTag<LedgerInstruction> INSTRUCTIONS =
            new OutputTag<>("ledger-instructions", new AvroTypeInfo<>(LedgerInstruction.class));

    /** Requests and credits whose decision threw (a bug), refused or returned; with the cause. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("ledger-internal-errors", new AvroTypeInfo<>(DeadLetter.class));

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

    /** What the decision running now changes; null between decisions. */
    private transient StagedDecision staged;

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
                DEFAULT_PARK_WINDOW);
    }

    public LedgerFunction(
            Duration holdExpiry,
            Duration refundWindow,
            Duration endedHoldRetention,
            int systemAccountShards,
            Duration parkWindow) {
        this(
                holdExpiry,
                refundWindow,
                endedHoldRetention,
                systemAccountShards,
                parkWindow,
                Topics.LEDGER_REQUESTS,
                Topics.LEDGER_INSTRUCTIONS);
    }

    /** The topics only name where a dead letter's request or instruction came from. */
    public LedgerFunction(
            Duration holdExpiry,
            Duration refundWindow,
            Duration endedHoldRetention,
            int systemAccountShards,
            Duration parkWindow,
            String requestsTopic,
            String instructionsTopic) {
        this.requestsTopic = requestsTopic;
        this.instructionsTopic = instructionsTopic;
        this.holdExpiry = holdExpiry;
        this.refundWindow = refundWindow;
        this.endedHoldRetention = endedHoldRetention;
        this.systemAccountShards = systemAccountShards;
        this.parkWindow = parkWindow;
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
        account =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("account", AccountRecord.class));

        // A hold lives until it expires; once ended it is kept a while to answer late captures
        // and voids precisely (HOLD_EXPIRED, INVALID_STATE), then dropped by TTL.
        MapStateDescriptor<String, HoldRecord> holdsDescriptor =
                new MapStateDescriptor<>("holds", String.class, HoldRecord.class);
        holdsDescriptor.enableTimeToLive(ttl(holdExpiry.plus(endedHoldRetention)));
        holds = getRuntimeContext().getMapState(holdsDescriptor);

        MapStateDescriptor<String, RefundableCredit> refundablesDescriptor =
                new MapStateDescriptor<>(
                        "refundable-credits", String.class, RefundableCredit.class);
        refundablesDescriptor.enableTimeToLive(ttl(refundWindow));
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

    private static StateTtlConfig ttl(Duration retention) {
        return StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }

    // ---------------------------------------------------------------- requests (first legs)

    @Override
    public void processElement1(
            LedgerRequest request, Context ctx, Collector<TransactionResult> out) throws Exception {
        AccountRecord current = account.value();
        if (parkingReason(request, current) != null) {
            park(request, ctx);
            return;
        }
        decide(request, current, ctx, out);
        Object body = request.getRequest();
        boolean mayRelease =
                body instanceof AccountCommand c
                        ? c.getType() == io.ledgerflow.avro.AccountCommandType.OPEN
                        : ((MoneyMovement) body).getType() == MovementType.HOLD;
        if (mayRelease) {
            releaseParked(ctx, out);
        }
    }

    // ---------------------------------------------------------------- parking

    /**
     * Why {@code request} cannot be decided yet at this account, or null. Requests of one account
     * are in order on their Kafka partition, but the idempotency gate before this function is keyed
     * by transaction id, so two requests of one account can reach it through different channels and
     * swap places: a deposit can overtake its account's OPEN, a capture its hold. Refusing them
     * would be wrong (ACCOUNT_NOT_FOUND for an account that exists a moment later; a hold left HELD
     * until it expires), so they wait here, in keyed state (checkpointed like everything else),
     * until what they depend on arrives or {@link #parkWindow} passes; then they are decided as
     * usual, which refuses them. A refund also waits for the credit it refunds, which travels
     * through the instruction loop and so arrives later than a quick refund request.
     */
    private String parkingReason(LedgerRequest request, AccountRecord current) throws Exception {
        Object body = request.getRequest();
        if (body instanceof AccountCommand c) {
            return c.getType() != io.ledgerflow.avro.AccountCommandType.OPEN && current == null
                    ? "account not open yet"
                    : null;
        }
        MoneyMovement m = (MoneyMovement) body;
        if (current == null) {
            return "account not open yet";
        }
        return switch (m.getType()) {
            case CAPTURE, VOID ->
                    hold(m.getRelatedTransactionId()) == null ? "hold not seen yet" : null;
            case REFUND ->
                    refundable(m.getRelatedTransactionId()) == null
                            ? "refunded credit not seen yet"
                            : null;
            default -> null;
        };
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
     * Decides, in arrival order, the parked requests that can be decided now; repeats while
     * deciding one unblocks another (a deposit, then a hold funded by it, then its capture).
     */
    private void releaseParked(Context ctx, Collector<TransactionResult> out) throws Exception {
        boolean progress = true;
        while (progress && parkedCount.value() != null) {
            progress = false;
            for (Long number : parkedNumbers()) {
                LedgerRequest request = parked.get(number);
                AccountRecord current = account.value();
                if (parkingReason(request, current) == null) {
                    unpark(number, ctx);
                    decide(request, current, ctx, out);
                    progress = true;
                }
            }
        }
    }

    /** Refuses, or now decides, the parked requests whose window has passed by {@code time}. */
    private void expireParked(long time, Context ctx, Collector<TransactionResult> out)
            throws Exception {
        if (parkedCount.value() == null) {
            return;
        }
        for (Long number : parkedNumbers()) {
            Long until = parkedUntil.get(number);
            if (until != null && until <= time) {
                LedgerRequest request = parked.get(number);
                unpark(number, ctx);
                decide(request, account.value(), ctx, out);
            }
        }
        releaseParked(ctx, out);
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
            apply(request, staged.account, ctx);
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
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                // Decided from keyed state, past the source: the Kafka position is not known here.
                .setSourcePartition(-1)
                .setSourceOffset(-1)
                .setKey(ByteBuffer.wrap(ctx.getCurrentKey().getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)))
                .setReason(ReasonCode.INTERNAL_ERROR.name())
                .setDetail(trace.toString())
                .setJob(LedgerJobConfig.JOB_NAME)
                .setFailedTime(Instant.ofEpochMilli(now(ctx)))
                .build();
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

    private void putHold(String id, HoldRecord h) {
        staged.holds.put(id, h);
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

    private void putRefundable(String id, RefundableCredit r) {
        staged.refundables.put(id, r);
    }

    private void registerTimer(long time) {
        staged.timers.add(new StagedDecision.TimerChange(time, true));
    }

    private void deleteTimer(long time, Context ctx) {
        if (staged == null) {
            ctx.timerService().deleteProcessingTimeTimer(time); // unparking, outside a decision
        } else {
            staged.timers.add(new StagedDecision.TimerChange(time, false));
        }
    }

    private void emit(TransactionResult result) {
        staged.emit(null, result);
    }

    private <T> void output(OutputTag<T> tag, T record) {
        staged.emit(tag, record);
    }

    /**
     * Decides {@code request} on the staged copy {@code current} of the keyed account (null if it
     * does not exist); every change goes to {@link #staged}.
     */
    private void apply(LedgerRequest request, AccountRecord current, Context ctx) throws Exception {
        Object body = request.getRequest();
        if (body instanceof AccountCommand command) {
            applyCommand(command, current, ctx);
            return;
        }
        MoneyMovement movement = (MoneyMovement) body;
        switch (movement.getType()) {
            case TRANSFER -> debitThenCredit(movement, current, ctx);
            case DEPOSIT -> deposit(movement, current, ctx);
            case WITHDRAWAL -> withdraw(movement, current, ctx);
            case HOLD -> placeHold(movement, current, ctx);
            case CAPTURE -> capture(movement, current, ctx);
            case VOID -> voidHold(movement, current, ctx);
            case REFUND -> refund(movement, current, ctx);
            default ->
                    emit(
                            result(movement, TransactionStatus.REJECTED, now(ctx))
                                    .setReason(ReasonCode.OTHER)
                                    .setReasonDetail(
                                            "unsupported movement type " + movement.getType())
                                    .build());
        }
    }

    /** TRANSFER at the source: debit now, credit the destination through an instruction. */
    private void debitThenCredit(MoneyMovement m, AccountRecord source, Context ctx)
            throws Exception {
        Rejection refused = debitRefusal(source, m, m.getAmountMinor(), ctx);
        if (refused != null) {
            emit(rejected(m, refused, ctx));
            return;
        }
        post(
                source,
                m,
                EntryDirection.DEBIT,
                m.getAmountMinor(),
                m.getDestinationAccountId(),
                false,
                ctx);
        save(source, m.getTransactionId(), ctx);
        instruct(
                InstructionKind.CREDIT,
                m,
                m.getDestinationAccountId(),
                m.getSourceAccountId(),
                m.getAmountMinor(),
                null,
                ctx);
    }

    /**
     * DEPOSIT at the destination: the system account's side never refuses, so it completes here.
     */
    private void deposit(MoneyMovement m, AccountRecord destination, Context ctx) throws Exception {
        Rejection refused = usability(destination, m.getPartnerId(), m.getCurrency(), ctx);
        if (refused == null) {
            refused = creditRefusal(destination, m.getAmountMinor());
        }
        if (refused != null) {
            emit(rejected(m, refused, ctx));
            return;
        }
        String system = systemAccountId(m.getCurrency(), m.getTransactionId(), systemAccountShards);
        post(destination, m, EntryDirection.CREDIT, m.getAmountMinor(), system, false, ctx);
        save(destination, m.getTransactionId(), ctx);
        instruct(
                InstructionKind.SYSTEM_POSTING,
                m,
                system,
                m.getDestinationAccountId(),
                m.getAmountMinor(),
                null,
                ctx);
        emit(result(m, TransactionStatus.COMPLETED, now(ctx)).build());
    }

    /** WITHDRAWAL at the source; the system account's credit follows and never refuses. */
    private void withdraw(MoneyMovement m, AccountRecord source, Context ctx) throws Exception {
        Rejection refused = debitRefusal(source, m, m.getAmountMinor(), ctx);
        if (refused != null) {
            emit(rejected(m, refused, ctx));
            return;
        }
        String system = systemAccountId(m.getCurrency(), m.getTransactionId(), systemAccountShards);
        post(source, m, EntryDirection.DEBIT, m.getAmountMinor(), system, false, ctx);
        save(source, m.getTransactionId(), ctx);
        instruct(
                InstructionKind.SYSTEM_POSTING,
                m,
                system,
                m.getSourceAccountId(),
                m.getAmountMinor(),
                null,
                ctx);
        emit(result(m, TransactionStatus.COMPLETED, now(ctx)).build());
    }

    /** HOLD: reserve funds on the source until captured, voided or expired. */
    private void placeHold(MoneyMovement m, AccountRecord source, Context ctx) throws Exception {
        Rejection refused = debitRefusal(source, m, m.getAmountMinor(), ctx);
        if (refused == null && !source.canHold(m.getAmountMinor())) {
            refused =
                    Rejection.of(
                            ReasonCode.BALANCE_LIMIT_EXCEEDED,
                            "held "
                                    + source.held
                                    + " plus "
                                    + m.getAmountMinor()
                                    + " would pass the largest amount the ledger can hold ("
                                    + Long.MAX_VALUE
                                    + " minor units)");
        }
        if (refused != null) {
            emit(rejected(m, refused, ctx));
            return;
        }
        long now = now(ctx);
        HoldRecord h = new HoldRecord();
        h.partnerId = m.getPartnerId();
        h.amount = m.getAmountMinor();
        h.currency = m.getCurrency();
        h.destinationAccountId = m.getDestinationAccountId();
        h.expiresAtMillis = now + holdExpiry.toMillis();
        h.eventTimeMillis = m.getEventTime().toEpochMilli();
        h.receivedTimeMillis = m.getReceivedTime().toEpochMilli();
        h.status = TransactionStatus.HELD;
        putHold(m.getTransactionId(), h);
        registerTimer(h.expiresAtMillis);
        source.held += h.amount;
        save(source, m.getTransactionId(), ctx);
        emit(result(m, TransactionStatus.HELD, now).build());
    }

    /**
     * CAPTURE at the held account: take up to the held amount, release the rest, credit the payee.
     */
    private void capture(MoneyMovement m, AccountRecord source, Context ctx) throws Exception {
        String holdId = m.getRelatedTransactionId();
        HoldRecord h = hold(holdId);
        Rejection refused = holdRefusal(h, m);
        if (refused == null && m.getAmountMinor() > h.amount) {
            refused =
                    Rejection.of(
                            ReasonCode.CAPTURE_EXCEEDS_HOLD,
                            "capture " + m.getAmountMinor() + " exceeds hold " + h.amount);
        }
        String payee =
                m.getDestinationAccountId() != null
                        ? m.getDestinationAccountId()
                        : h == null ? null : h.destinationAccountId;
        if (refused == null && payee == null) {
            refused =
                    Rejection.of(
                            ReasonCode.INVALID_STATE,
                            "neither the hold nor the capture names a payee");
        }
        if (refused == null && payee.equals(m.getSourceAccountId())) {
            refused = Rejection.of(ReasonCode.SAME_ACCOUNT, "payee is the held account");
        }
        if (refused == null) {
            refused = usability(source, m.getPartnerId(), m.getCurrency(), ctx);
        }
        if (refused != null) {
            emit(rejected(m, refused, ctx));
            return;
        }
        source.held -= h.amount; // the uncaptured rest is released
        post(source, m, EntryDirection.DEBIT, m.getAmountMinor(), payee, false, ctx);
        save(source, m.getTransactionId(), ctx);
        h.status = TransactionStatus.CAPTURED; // final unless the payee refuses (compensation)
        h.captureTransactionId = m.getTransactionId();
        putHold(holdId, h);
        dropTimerIfUnused(h.expiresAtMillis, ctx);
        instruct(
                InstructionKind.CREDIT,
                m,
                payee,
                m.getSourceAccountId(),
                m.getAmountMinor(),
                null,
                ctx);
    }

    /** VOID: release a hold's funds. Allowed on frozen accounts: releasing funds is always safe. */
    private void voidHold(MoneyMovement m, AccountRecord source, Context ctx) throws Exception {
        String holdId = m.getRelatedTransactionId();
        HoldRecord h = hold(holdId);
        Rejection refused = holdRefusal(h, m);
        if (refused != null) {
            emit(rejected(m, refused, ctx));
            return;
        }
        source.held -= h.amount;
        h.status = TransactionStatus.VOIDED;
        putHold(holdId, h);
        dropTimerIfUnused(h.expiresAtMillis, ctx);
        save(source, m.getTransactionId(), ctx);
        long now = now(ctx);
        emit(
                holdResult(
                        holdId,
                        h,
                        m.getSourceAccountId(),
                        TransactionStatus.VOIDED,
                        null,
                        "voided by " + m.getTransactionId(),
                        now));
        emit(result(m, TransactionStatus.COMPLETED, now).build());
    }

    /** REFUND at the account that received the original credit: debit it, credit the payer. */
    private void refund(MoneyMovement m, AccountRecord source, Context ctx) throws Exception {
        String originalId = m.getRelatedTransactionId();
        RefundableCredit credit = refundable(originalId);
        Rejection refused = null;
        if (credit == null || !credit.partnerId.equals(m.getPartnerId())) {
            refused =
                    Rejection.of(
                            ReasonCode.RELATED_TRANSACTION_NOT_FOUND,
                            "no refundable credit " + originalId + " on " + m.getSourceAccountId());
        } else if (!credit.payerAccountId.equals(m.getDestinationAccountId())) {
            refused =
                    Rejection.of(
                            ReasonCode.INVALID_STATE,
                            "a refund goes back to the original payer " + credit.payerAccountId);
        } else if (!credit.currency.equals(m.getCurrency())) {
            refused =
                    Rejection.of(
                            ReasonCode.CURRENCY_MISMATCH, "original was in " + credit.currency);
        } else if (m.getAmountMinor() > credit.remaining()) {
            refused =
                    Rejection.of(
                            ReasonCode.REFUND_EXCEEDS_ORIGINAL,
                            "refundable " + credit.remaining() + " of " + credit.amount);
        }
        if (refused == null) {
            refused = debitRefusal(source, m, m.getAmountMinor(), ctx);
        }
        if (refused != null) {
            emit(rejected(m, refused, ctx));
            return;
        }
        credit.refunded += m.getAmountMinor();
        putRefundable(originalId, credit);
        post(
                source,
                m,
                EntryDirection.DEBIT,
                m.getAmountMinor(),
                m.getDestinationAccountId(),
                false,
                ctx);
        save(source, m.getTransactionId(), ctx);
        instruct(
                InstructionKind.CREDIT,
                m,
                m.getDestinationAccountId(),
                m.getSourceAccountId(),
                m.getAmountMinor(),
                null,
                ctx);
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
                    applyStaged(current, ctx, out, source -> compensate(instruction, source, ctx));
            case SYSTEM_POSTING ->
                    applyStaged(
                            current, ctx, out, system -> systemPosting(instruction, system, ctx));
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
            posted = credit(ins, staged.account, ctx);
        } catch (RuntimeException e) {
            rethrowIfNotTheDecisions(e);
            internalErrors.inc();
            LOG.error(
                    "Crediting {} at account {} failed; compensated as INTERNAL_ERROR",
                    ins,
                    ctx.getCurrentKey(),
                    e);
            staged = new StagedDecision(null);
            instruct(
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
                    ctx);
            output(DEAD_LETTERS, deadLetter(instructionsTopic, ins.toString(), e, ctx));
            posted = false;
        }
        commit(ctx, out);
        return posted;
    }

    /**
     * The credit leg of a TRANSFER, CAPTURE or REFUND; a refusal sends the money back. Returns true
     * if it was posted.
     */
    private boolean credit(LedgerInstruction ins, AccountRecord destination, Context ctx) {
        MoneyMovement m = ins.getMovement();
        Rejection refused = usability(destination, m.getPartnerId(), m.getCurrency(), ctx);
        if (refused == null) {
            refused = creditRefusal(destination, ins.getAmountMinor());
        }
        if (refused != null) {
            instruct(
                    InstructionKind.COMPENSATE,
                    m,
                    ins.getCounterpartyAccountId(),
                    ins.getAccountId(),
                    ins.getAmountMinor(),
                    refused,
                    ctx);
            return false;
        }
        post(
                destination,
                m,
                EntryDirection.CREDIT,
                ins.getAmountMinor(),
                ins.getCounterpartyAccountId(),
                false,
                ctx);
        save(destination, m.getTransactionId(), ctx);
        boolean refundable =
                m.getType() == MovementType.TRANSFER || m.getType() == MovementType.CAPTURE;
        if (refundable) {
            RefundableCredit credit = new RefundableCredit();
            credit.partnerId = m.getPartnerId();
            credit.payerAccountId = ins.getCounterpartyAccountId();
            credit.currency = m.getCurrency();
            credit.amount = ins.getAmountMinor();
            putRefundable(m.getTransactionId(), credit);
        }
        long now = now(ctx);
        if (m.getType() == MovementType.CAPTURE) {
            emit(
                    TransactionResult.newBuilder(result(m, TransactionStatus.CAPTURED, now).build())
                            .setTransactionId(m.getRelatedTransactionId())
                            .setType(MovementType.HOLD)
                            .setRelatedTransactionId(m.getTransactionId())
                            .setReasonDetail("captured by " + m.getTransactionId())
                            .build());
        }
        emit(result(m, TransactionStatus.COMPLETED, now).build());
        return refundable;
    }

    /**
     * Returns a debit whose credit was refused; never refuses, or money would vanish. In the one
     * case where the money cannot go back onto the payer's account (its balance grew, while the
     * debit was in flight, so close to the largest balance that the return would pass it), it is
     * posted to the currency's suspense account instead, for an operator to settle, and the result
     * says so.
     */
    private void compensate(LedgerInstruction ins, AccountRecord source, Context ctx)
            throws Exception {
        MoneyMovement m = ins.getMovement();
        String detail = ins.getReasonDetail();
        if (source.canCredit(ins.getAmountMinor())) {
            post(
                    source,
                    m,
                    EntryDirection.CREDIT,
                    ins.getAmountMinor(),
                    ins.getCounterpartyAccountId(),
                    true,
                    ctx);
            save(source, m.getTransactionId(), ctx);
        } else {
            String suspense = suspenseAccountId(m.getCurrency());
            instruct(
                    InstructionKind.SYSTEM_POSTING,
                    m,
                    suspense,
                    ins.getAccountId(),
                    ins.getAmountMinor(),
                    null,
                    ctx);
            detail =
                    detail
                            + "; the returned funds are held in "
                            + suspense
                            + " because "
                            + ins.getAccountId()
                            + " is at the largest balance the ledger holds";
        }
        Rejection why =
                Rejection.of(
                        ins.getReason() == null ? ReasonCode.CREDIT_REFUSED : ins.getReason(),
                        detail);
        long now = now(ctx);
        if (m.getType() == MovementType.CAPTURE) {
            // The hold's funds were released when the capture debited them; it ends voided.
            HoldRecord h = hold(m.getRelatedTransactionId());
            if (h != null) {
                h.status = TransactionStatus.VOIDED;
                putHold(m.getRelatedTransactionId(), h);
                emit(
                        holdResult(
                                m.getRelatedTransactionId(),
                                h,
                                m.getSourceAccountId(),
                                TransactionStatus.VOIDED,
                                ReasonCode.CREDIT_REFUSED,
                                "capture "
                                        + m.getTransactionId()
                                        + " refused by payee: "
                                        + why.detail(),
                                now));
            }
        } else if (m.getType() == MovementType.REFUND) {
            RefundableCredit credit = refundable(m.getRelatedTransactionId());
            if (credit != null) {
                credit.refunded -= ins.getAmountMinor();
                putRefundable(m.getRelatedTransactionId(), credit);
            }
        }
        emit(rejected(m, why, ctx));
    }

    /**
     * The outside world's side of a DEPOSIT (debit) or WITHDRAWAL (credit), or a return parked in
     * suspense (credit). System accounts are unbounded (see {@link AccountRecord#move}).
     */
    private void systemPosting(LedgerInstruction ins, AccountRecord system, Context ctx) {
        MoneyMovement m = ins.getMovement();
        if (system == null) {
            system = new AccountRecord();
            system.partnerId = SYSTEM_PARTNER;
            system.currency = m.getCurrency();
            system.type = AccountType.SYSTEM;
            system.status = AccountStatus.OPEN;
        }
        EntryDirection direction =
                m.getType() == MovementType.DEPOSIT ? EntryDirection.DEBIT : EntryDirection.CREDIT;
        post(
                system,
                m,
                direction,
                ins.getAmountMinor(),
                ins.getCounterpartyAccountId(),
                false,
                ctx);
        save(system, m.getTransactionId(), ctx);
    }

    // ---------------------------------------------------------------- hold expiry

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TransactionResult> out)
            throws Exception {
        applyStaged(account.value(), ctx, out, source -> expireHolds(timestamp, source, ctx));
        expireParked(timestamp, ctx, out);
    }

    private void expireHolds(long timestamp, AccountRecord source, Context ctx) throws Exception {
        String accountId = ctx.getCurrentKey();
        boolean changed = false;
        for (Map.Entry<String, HoldRecord> entry : holds.entries()) {
            HoldRecord h = entry.getValue().copy();
            if (h.isOpen() && h.expiresAtMillis <= timestamp) {
                source.held -= h.amount;
                h.status = TransactionStatus.EXPIRED;
                putHold(entry.getKey(), h);
                emit(
                        holdResult(
                                entry.getKey(),
                                h,
                                accountId,
                                TransactionStatus.EXPIRED,
                                ReasonCode.HOLD_EXPIRED,
                                "not captured within " + holdExpiry,
                                timestamp));
                changed = true;
            }
        }
        if (changed) {
            save(source, "hold-expiry", ctx);
        }
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

    // ---------------------------------------------------------------- account commands

    private void applyCommand(AccountCommand c, AccountRecord a, Context ctx) throws Exception {
        Rejection refused =
                switch (c.getType()) {
                    case OPEN -> openRefusal(a, c);
                    case CLOSE -> lifecycleRefusal(a, c, AccountStatus.OPEN, AccountStatus.FROZEN);
                    case FREEZE -> lifecycleRefusal(a, c, AccountStatus.OPEN);
                    case UNFREEZE -> lifecycleRefusal(a, c, AccountStatus.FROZEN);
                };
        if (refused == null
                && c.getType() == io.ledgerflow.avro.AccountCommandType.CLOSE
                && (a.balance != 0 || a.held != 0)) {
            refused =
                    Rejection.of(
                            ReasonCode.BALANCE_NOT_ZERO,
                            "balance " + a.balance + ", held " + a.held);
        }
        long now = now(ctx);
        AccountCommandResult.Builder result =
                AccountCommandResult.newBuilder()
                        .setCommandId(c.getCommandId())
                        .setPartnerId(c.getPartnerId())
                        .setAccountId(c.getAccountId())
                        .setType(c.getType())
                        .setAccepted(refused == null)
                        .setDecisionTime(Instant.ofEpochMilli(now));
        if (refused != null) {
            output(
                    COMMAND_RESULTS,
                    result.setReason(refused.reason()).setReasonDetail(refused.detail()).build());
            return;
        }
        switch (c.getType()) {
            case OPEN -> {
                a = new AccountRecord();
                a.partnerId = c.getPartnerId();
                a.currency = c.getCurrency();
                a.type = c.getAccountType() == null ? AccountType.CUSTOMER : c.getAccountType();
                a.status = AccountStatus.OPEN;
                a.overdraftLimit = c.getOverdraftLimitMinor();
            }
            case CLOSE -> a.status = AccountStatus.CLOSED;
            case FREEZE -> a.status = AccountStatus.FROZEN;
            case UNFREEZE -> a.status = AccountStatus.OPEN;
        }
        save(a, c.getCommandId(), ctx);
        output(COMMAND_RESULTS, result.build());
    }

    private static Rejection openRefusal(AccountRecord existing, AccountCommand c) {
        if (existing != null) {
            return Rejection.of(
                    ReasonCode.ACCOUNT_ALREADY_EXISTS, "account " + c.getAccountId() + " exists");
        }
        if (c.getAccountId().startsWith(SYSTEM_ACCOUNT_PREFIX)
                || c.getAccountType() == AccountType.SYSTEM) {
            return Rejection.of(ReasonCode.OTHER, "system accounts are the ledger's own");
        }
        if (c.getCurrency() == null || !Currencies.isSupported(c.getCurrency())) {
            return Rejection.of(ReasonCode.OTHER, "unsupported currency " + c.getCurrency());
        }
        if (c.getOverdraftLimitMinor() < 0) {
            return Rejection.of(ReasonCode.INVALID_AMOUNT, "overdraft limit must not be negative");
        }
        return null;
    }

    private static Rejection lifecycleRefusal(
            AccountRecord a, AccountCommand c, AccountStatus... allowed) {
        if (a == null || !a.partnerId.equals(c.getPartnerId())) {
            return Rejection.of(ReasonCode.ACCOUNT_NOT_FOUND, "no account " + c.getAccountId());
        }
        for (AccountStatus status : allowed) {
            if (a.status == status) {
                return null;
            }
        }
        if (a.status == AccountStatus.CLOSED) {
            return Rejection.of(ReasonCode.ACCOUNT_CLOSED, "account is closed");
        }
        return Rejection.of(
                ReasonCode.INVALID_STATE,
                c.getType() + " not allowed on a " + a.status + " account");
    }

    // ---------------------------------------------------------------- rules shared by the legs

    /** Why {@code a} may not take part in a movement of {@code partner} in {@code currency}. */
    private static Rejection usability(
            AccountRecord a, String partner, String currency, Context ctx) {
        String id = ctx.getCurrentKey();
        // Another partner's account is reported as unknown: its existence is not theirs to learn.
        if (a == null || !a.partnerId.equals(partner)) {
            return Rejection.of(ReasonCode.ACCOUNT_NOT_FOUND, "no account " + id);
        }
        if (a.status == AccountStatus.CLOSED) {
            return Rejection.of(ReasonCode.ACCOUNT_CLOSED, "account " + id + " is closed");
        }
        if (a.status == AccountStatus.FROZEN) {
            return Rejection.of(ReasonCode.ACCOUNT_FROZEN, "account " + id + " is frozen");
        }
        if (!a.currency.equals(currency)) {
            return Rejection.of(
                    ReasonCode.CURRENCY_MISMATCH,
                    "account " + id + " holds " + a.currency + ", not " + currency);
        }
        return null;
    }

    /** Why {@code amount} may not leave the keyed account {@code a} for movement {@code m}. */
    private static Rejection debitRefusal(
            AccountRecord a, MoneyMovement m, long amount, Context ctx) {
        Rejection unusable = usability(a, m.getPartnerId(), m.getCurrency(), ctx);
        if (unusable != null) {
            return unusable;
        }
        if (!a.canDebit(amount)) {
            return Rejection.of(
                    ReasonCode.INSUFFICIENT_FUNDS,
                    "available "
                            + a.available()
                            + " (overdraft "
                            + a.overdraftLimit
                            + "), needed "
                            + amount);
        }
        return null;
    }

    /**
     * Why {@code amount} may not enter the keyed account {@code a}: a customer account's balance
     * stays within 64 bits (the schemas' and the stores' range), so a credit that would pass the
     * largest balance is refused rather than wrapping or failing the job.
     */
    private static Rejection creditRefusal(AccountRecord a, long amount) {
        if (a.canCredit(amount)) {
            return null;
        }
        return Rejection.of(
                ReasonCode.BALANCE_LIMIT_EXCEEDED,
                "balance "
                        + a.balance
                        + " plus "
                        + amount
                        + " would pass the largest balance the ledger holds ("
                        + Long.MAX_VALUE
                        + " minor units)");
    }

    private static Rejection holdRefusal(HoldRecord h, MoneyMovement m) {
        String holdId = m.getRelatedTransactionId();
        if (h == null || !h.partnerId.equals(m.getPartnerId())) {
            return Rejection.of(
                    ReasonCode.RELATED_TRANSACTION_NOT_FOUND,
                    "no hold " + holdId + " on " + m.getSourceAccountId());
        }
        if (h.status == TransactionStatus.EXPIRED) {
            return Rejection.of(ReasonCode.HOLD_EXPIRED, "hold " + holdId + " expired");
        }
        if (!h.isOpen()) {
            return Rejection.of(ReasonCode.INVALID_STATE, "hold " + holdId + " is " + h.status);
        }
        if (m.getType() == MovementType.CAPTURE && !h.currency.equals(m.getCurrency())) {
            return Rejection.of(ReasonCode.CURRENCY_MISMATCH, "hold is in " + h.currency);
        }
        return null;
    }

    // ---------------------------------------------------------------- outputs

    /** Posts one entry on the keyed account: balance, sequence and hash chain move together. */
    private void post(
            AccountRecord a,
            MoneyMovement m,
            EntryDirection direction,
            long amount,
            String counterparty,
            boolean reversal,
            Context ctx) {
        a.move(direction == EntryDirection.CREDIT ? amount : -amount);
        a.lastSequence++;
        LedgerEntry entry =
                LedgerEntry.newBuilder()
                        .setAccountId(ctx.getCurrentKey())
                        .setSequence(a.lastSequence)
                        .setTransactionId(m.getTransactionId())
                        .setPartnerId(a.partnerId)
                        .setMovementType(m.getType())
                        .setDirection(direction)
                        .setAmountMinor(amount)
                        .setCurrency(a.currency)
                        .setBalanceAfterMinor(a.balance)
                        .setWideBalanceAfter(wide(a))
                        .setCounterpartyAccountId(counterparty)
                        .setReversal(reversal)
                        .setEventTime(m.getEventTime())
                        .setPostedTime(Instant.ofEpochMilli(now(ctx)))
                        .setPreviousHash(a.lastHash)
                        .setHash("")
                        .build();
        entry.setHash(hash(entry));
        a.lastHash = entry.getHash();
        output(LEDGER_ENTRIES, entry);
    }

    /**
     * The entry's hash. Also the seam where tests make a decision throw half-way (after the balance
     * moved), to prove that such a decision changes nothing.
     */
    String hash(LedgerEntry entry) {
        return LedgerEntryHash.of(entry);
    }

    private void save(AccountRecord a, String causeId, Context ctx) {
        a.version++;
        staged.saveAccount(a);
        output(
                ACCOUNT_STATES,
                AccountState.newBuilder()
                        .setAccountId(ctx.getCurrentKey())
                        .setPartnerId(a.partnerId)
                        .setCurrency(a.currency)
                        .setAccountType(a.type)
                        .setStatus(a.status)
                        .setBalanceMinor(a.balance)
                        .setHeldMinor(a.held)
                        .setAvailableMinor(a.wideBalance == null ? a.available() : a.balance)
                        .setWideBalance(wide(a))
                        .setOverdraftLimitMinor(a.overdraftLimit)
                        .setLastSequence(a.lastSequence)
                        .setVersion(a.version)
                        .setCauseId(causeId)
                        .setUpdatedTime(Instant.ofEpochMilli(now(ctx)))
                        .build());
    }

    /** The exact balance of a system account beyond 64 bits, else null (the long is exact). */
    private static BigDecimal wide(AccountRecord a) {
        return a.wideBalance == null ? null : new BigDecimal(a.wideBalance);
    }

    private void instruct(
            InstructionKind kind,
            MoneyMovement m,
            String targetAccount,
            String counterparty,
            long amount,
            Rejection reason,
            Context ctx) {
        output(
                INSTRUCTIONS,
                LedgerInstruction.newBuilder()
                        .setInstructionId(m.getTransactionId() + ":" + kind)
                        .setKind(kind)
                        .setMovement(m)
                        .setAccountId(targetAccount)
                        .setCounterpartyAccountId(counterparty)
                        .setAmountMinor(amount)
                        .setReason(reason == null ? null : reason.reason())
                        .setReasonDetail(reason == null ? null : reason.detail())
                        .setCreatedTime(Instant.ofEpochMilli(now(ctx)))
                        .build());
    }

    private static TransactionResult.Builder result(
            MoneyMovement m, TransactionStatus status, long now) {
        return TransactionResult.newBuilder()
                .setTransactionId(m.getTransactionId())
                .setPartnerId(m.getPartnerId())
                .setType(m.getType())
                .setStatus(status)
                .setSourceAccountId(m.getSourceAccountId())
                .setDestinationAccountId(m.getDestinationAccountId())
                .setRelatedTransactionId(m.getRelatedTransactionId())
                .setAmountMinor(m.getAmountMinor())
                .setCurrency(m.getCurrency())
                .setEventTime(m.getEventTime())
                .setReceivedTime(m.getReceivedTime())
                .setDecisionTime(Instant.ofEpochMilli(now));
    }

    private static TransactionResult rejected(MoneyMovement m, Rejection why, Context ctx) {
        return result(m, TransactionStatus.REJECTED, now(ctx))
                .setReason(why.reason())
                .setReasonDetail(why.detail())
                .build();
    }

    private static TransactionResult holdResult(
            String holdId,
            HoldRecord h,
            String accountId,
            TransactionStatus status,
            ReasonCode reason,
            String detail,
            long now) {
        return TransactionResult.newBuilder()
                .setTransactionId(holdId)
                .setPartnerId(h.partnerId)
                .setType(MovementType.HOLD)
                .setStatus(status)
                .setReason(reason)
                .setReasonDetail(detail)
                .setSourceAccountId(accountId)
                .setDestinationAccountId(h.destinationAccountId)
                .setAmountMinor(h.amount)
                .setCurrency(h.currency)
                .setEventTime(Instant.ofEpochMilli(h.eventTimeMillis))
                .setReceivedTime(Instant.ofEpochMilli(h.receivedTimeMillis))
                .setDecisionTime(Instant.ofEpochMilli(now))
                .build();
    }

    private static long now(Context ctx) {
        return ctx.timerService().currentProcessingTime();
    }
}
