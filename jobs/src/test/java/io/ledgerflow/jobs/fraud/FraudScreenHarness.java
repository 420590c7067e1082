package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudMode;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.FraudRuleType;
import io.ledgerflow.avro.FraudSeverity;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.ledger.AdmissionAndScreen;
import io.ledgerflow.jobs.ledger.ScreenInput;
import io.ledgerflow.jobs.ledger.ScreenInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Drives {@link FraudScreen} in Flink's keyed broadcast operator harness the way the ledger job
 * feeds it ({@link ScreenInputs}: each request at its account, transfers also at their
 * destination), so a test reads as a story of accounts moving money in event time.
 */
final class FraudScreenHarness implements AutoCloseable {

    static final String PARTNER = "partner-1";
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final FraudScreenSettings SETTINGS =
            new FraudScreenSettings(Duration.ofDays(1), 50, Duration.ofDays(400));

    final KeyedBroadcastOperatorTestHarness<String, ScreenInput, FraudRule, LedgerRequest> harness;
    private final ScreenInputs inputs = new ScreenInputs();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<LedgerRequest> forwarded = new ArrayList<>();
    private final List<FraudAlert> alerts = new ArrayList<>();
    private final List<TransactionResult> blocked = new ArrayList<>();
    private final List<DeadLetter> refused = new ArrayList<>();

    FraudScreenHarness() throws Exception {
        this(null);
    }

    private FraudScreenHarness(OperatorSubtaskState restoreFrom) throws Exception {
        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new AdmissionAndScreen(
                                        SETTINGS,
                                        "test-job",
                                        "ledger.fraud-rules",
                                        "ledger.requests"),
                                List.of(FraudScreen.RULES)),
                        ScreenInput::getAccountId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        harness.setProcessingTime(1_000_000L);
    }

    /** A new screen restored from a snapshot of another one, as after a job restart. */
    static FraudScreenHarness restoredFrom(OperatorSubtaskState snapshot) throws Exception {
        return new FraudScreenHarness(snapshot);
    }

    static FraudRule rule(
            String id, FraudRuleType type, FraudMode mode, long version, String... thresholds) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < thresholds.length; i += 2) {
            map.put(thresholds[i], thresholds[i + 1]);
        }
        return FraudRule.newBuilder()
                .setRuleId(id)
                .setRuleType(type)
                .setMode(mode)
                .setEnabled(true)
                .setSeverity(FraudSeverity.HIGH)
                .setThresholds(map)
                .setVersion(version)
                .setChangedBy("test")
                .setChangedAt(T0)
                .setDescription("test rule " + id)
                .build();
    }

    void publish(FraudRule rule) throws Exception {
        harness.processBroadcastElement(new StreamRecord<>(rule));
        collect();
    }

    void open(String account, Instant at) throws Exception {
        AccountCommand command =
                AccountCommand.newBuilder()
                        .setCommandId("cmd-" + ids.incrementAndGet())
                        .setPartnerId(PARTNER)
                        .setAccountId(account)
                        .setType(AccountCommandType.OPEN)
                        .setCurrency("EUR")
                        .setAccountType(AccountType.CUSTOMER)
                        .setEventTime(at)
                        .setReceivedTime(at)
                        .build();
        send(new LedgerRequest(command));
    }

    MoneyMovement transfer(String from, String to, long amount, Instant at) throws Exception {
        return move(MovementType.TRANSFER, from, to, amount, at);
    }

    MoneyMovement withdraw(String from, long amount, Instant at) throws Exception {
        return move(MovementType.WITHDRAWAL, from, null, amount, at);
    }

    MoneyMovement deposit(String to, long amount, Instant at) throws Exception {
        return move(MovementType.DEPOSIT, null, to, amount, at);
    }

    MoneyMovement move(MovementType type, String from, String to, long amount, Instant at)
            throws Exception {
        MoneyMovement m =
                MoneyMovement.newBuilder()
                        .setTransactionId("tx-" + ids.incrementAndGet())
                        .setPartnerId(PARTNER)
                        .setType(type)
                        .setSourceAccountId(from)
                        .setDestinationAccountId(to)
                        // Captures, voids and refunds name what they act on (the shape check).
                        .setRelatedTransactionId(
                                type == MovementType.CAPTURE
                                                || type == MovementType.VOID
                                                || type == MovementType.REFUND
                                        ? "tx-0"
                                        : null)
                        .setAmountMinor(amount)
                        .setCurrency("EUR")
                        .setEventTime(at)
                        .setReceivedTime(at)
                        .build();
        send(new LedgerRequest(m));
        return m;
    }

    private void send(LedgerRequest request) throws Exception {
        List<ScreenInput> split = new ArrayList<>();
        inputs.flatMap(
                request, new org.apache.flink.api.common.functions.util.ListCollector<>(split));
        for (ScreenInput input : split) {
            harness.processElement(new StreamRecord<>(input));
        }
        collect();
    }

    void advanceProcessingTime(long time) throws Exception {
        harness.setProcessingTime(time);
        collect();
    }

    private void collect() {
        forwarded.addAll(harness.extractOutputValues());
        harness.getOutput().clear();
        alerts.addAll(take(FraudScreen.ALERTS));
        blocked.addAll(take(FraudScreen.BLOCKED));
        refused.addAll(take(FraudScreen.REFUSED_RULES));
    }

    private <T> List<T> take(OutputTag<T> tag) {
        List<T> taken = new ArrayList<>();
        Queue<StreamRecord<T>> queue = harness.getSideOutput(tag);
        if (queue != null) {
            StreamRecord<T> r;
            while ((r = queue.poll()) != null) {
                taken.add(r.getValue());
            }
        }
        return taken;
    }

    List<LedgerRequest> forwarded() {
        return forwarded;
    }

    List<String> forwardedIds() {
        List<String> out = new ArrayList<>();
        for (LedgerRequest r : forwarded) {
            if (r.getRequest() instanceof MoneyMovement m) {
                out.add(m.getTransactionId());
            }
        }
        return out;
    }

    List<FraudAlert> alerts() {
        return alerts;
    }

    List<FraudAlert> alertsFor(String account) {
        return alerts.stream().filter(a -> a.getAccountId().equals(account)).toList();
    }

    List<TransactionResult> blocked() {
        return blocked;
    }

    List<DeadLetter> refused() {
        return refused;
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
