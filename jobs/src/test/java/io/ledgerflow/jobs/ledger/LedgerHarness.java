package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Drives {@link LedgerFunction} in Flink's operator test harness and closes the instruction loop by
 * hand (what the Kafka instruction topic does in the job), so a test reads like a story: open
 * accounts, move money, look at results, entries and state.
 */
final class LedgerHarness implements AutoCloseable {

    static final Duration HOLD_EXPIRY = Duration.ofMinutes(30);
    static final String PARTNER = "partner-1";

    final KeyedTwoInputStreamOperatorTestHarness<
                    String, LedgerRequest, LedgerInstruction, TransactionResult>
            harness;
    private final AtomicInteger ids = new AtomicInteger();
    private final List<TransactionResult> results = new ArrayList<>();
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final List<AccountCommandResult> commandResults = new ArrayList<>();
    private final Map<String, AccountState> states = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    /** Instructions kept back from the loop while {@link #holdInstructions} is set. */
    private final List<LedgerInstruction> heldInstructions = new ArrayList<>();

    private boolean holdInstructions;

    LedgerHarness() throws Exception {
        this(new LedgerFunction(HOLD_EXPIRY, Duration.ofDays(90), Duration.ofDays(1), 2));
    }

    /** A harness around {@code ledger}, built as {@link #LedgerHarness()} builds its own. */
    LedgerHarness(LedgerFunction ledger) throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(ledger),
                        LedgerRouting::accountOf,
                        LedgerInstruction::getAccountId,
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.setProcessingTime(1_000_000L);
        harness.open();
    }

    void open(String accountId, String currency, long overdraftLimit) throws Exception {
        command(accountId, AccountCommandType.OPEN, currency, overdraftLimit);
    }

    AccountCommandResult command(
            String accountId, AccountCommandType type, String currency, long overdraftLimit)
            throws Exception {
        AccountCommand command =
                AccountCommand.newBuilder()
                        .setCommandId("cmd-" + ids.incrementAndGet())
                        .setPartnerId(PARTNER)
                        .setAccountId(accountId)
                        .setType(type)
                        .setCurrency(currency)
                        .setAccountType(AccountType.CUSTOMER)
                        .setOverdraftLimitMinor(overdraftLimit)
                        .setEventTime(Instant.ofEpochMilli(1))
                        .setReceivedTime(Instant.ofEpochMilli(2))
                        .build();
        harness.processElement1(new StreamRecord<>(new LedgerRequest(command)));
        drain();
        return commandResults.get(commandResults.size() - 1);
    }

    MoneyMovement.Builder movement(MovementType type, long amount) {
        return MoneyMovement.newBuilder()
                .setTransactionId("tx-" + ids.incrementAndGet())
                .setPartnerId(PARTNER)
                .setType(type)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setEventTime(Instant.ofEpochMilli(10))
                .setReceivedTime(Instant.ofEpochMilli(11));
    }

    /** Applies a movement and every instruction it causes; returns the results it produced. */
    List<TransactionResult> apply(MoneyMovement movement) throws Exception {
        int before = results.size();
        harness.processElement1(new StreamRecord<>(new LedgerRequest(movement)));
        drain();
        return new ArrayList<>(results.subList(before, results.size()));
    }

    TransactionResult applyOne(MoneyMovement movement) throws Exception {
        List<TransactionResult> produced = apply(movement);
        if (produced.size() != 1) {
            throw new AssertionError("expected one result, got " + produced);
        }
        return produced.get(0);
    }

    /**
     * Applies a movement that must wait at its account (it depends on something not seen yet),
     * checks that it produced nothing at first, then lets its park window pass and returns the one
     * result that produces.
     */
    TransactionResult applyOneAfterParkWindow(MoneyMovement movement) throws Exception {
        List<TransactionResult> now = apply(movement);
        if (!now.isEmpty()) {
            throw new AssertionError("expected the movement to wait, got " + now);
        }
        List<TransactionResult> later =
                advanceTo(
                        harness.getProcessingTime()
                                + LedgerFunction.DEFAULT_PARK_WINDOW.toMillis());
        if (later.size() != 1) {
            throw new AssertionError("expected one result after the park window, got " + later);
        }
        return later.get(0);
    }

    /** Advances processing time (fires hold-expiry timers) and collects what they produce. */
    List<TransactionResult> advanceTo(long time) throws Exception {
        int before = results.size();
        harness.setProcessingTime(time);
        drain();
        return new ArrayList<>(results.subList(before, results.size()));
    }

    /** Collects outputs and feeds instructions back until none are left, like the Kafka loop. */
    private void drain() throws Exception {
        while (true) {
            for (Object o : harness.getOutput()) {
                if (o instanceof StreamRecord<?> r) {
                    results.add((TransactionResult) r.getValue());
                }
            }
            harness.getOutput().clear();
            take(LedgerFunction.LEDGER_ENTRIES).forEach(entries::add);
            take(LedgerFunction.COMMAND_RESULTS).forEach(commandResults::add);
            take(LedgerFunction.ACCOUNT_STATES).forEach(s -> states.put(s.getAccountId(), s));
            take(LedgerFunction.DEAD_LETTERS).forEach(deadLetters::add);
            List<LedgerInstruction> instructions = take(LedgerFunction.INSTRUCTIONS);
            if (holdInstructions) {
                heldInstructions.addAll(instructions);
                return;
            }
            if (instructions.isEmpty()) {
                return;
            }
            for (LedgerInstruction instruction : instructions) {
                harness.processElement2(new StreamRecord<>(instruction));
            }
        }
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

    /**
     * Keeps the instructions that follow back (a credit in flight stays in flight) until {@link
     * #releaseInstructions}: what a slow instruction loop does, for races between the legs.
     */
    void holdInstructions() {
        holdInstructions = true;
    }

    /** Delivers the instructions kept back, and everything they cause; returns the results. */
    List<TransactionResult> releaseInstructions() throws Exception {
        holdInstructions = false;
        int before = results.size();
        List<LedgerInstruction> pending = new ArrayList<>(heldInstructions);
        heldInstructions.clear();
        for (LedgerInstruction instruction : pending) {
            harness.processElement2(new StreamRecord<>(instruction));
        }
        drain();
        return new ArrayList<>(results.subList(before, results.size()));
    }

    /** Feeds one request as it is, bypassing the builders' validation (a malformed record). */
    List<TransactionResult> applyRaw(LedgerRequest request) throws Exception {
        int before = results.size();
        harness.processElement1(new StreamRecord<>(request));
        drain();
        return new ArrayList<>(results.subList(before, results.size()));
    }

    List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    AccountState state(String accountId) {
        return states.get(accountId);
    }

    long balance(String accountId) {
        AccountState s = states.get(accountId);
        return s == null ? 0 : s.getBalanceMinor();
    }

    List<LedgerEntry> entries() {
        return entries;
    }

    List<TransactionResult> results() {
        return results;
    }

    Map<String, AccountState> states() {
        return states;
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
