package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.fraud.FraudScreen;
import io.ledgerflow.jobs.fraud.FraudScreenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transaction ids are admitted once per partner, whichever account a reuse names; bad shapes are
 * rejected before the ledger; one account's requests leave admission in arrival order. Runs the
 * operators of the admission path (identify, gate, admission in the fraud screen's operator) wired
 * by hand.
 */
class IdempotencyGateTest {

    private static final Duration RETENTION = Duration.ofHours(1);

    private OneInputStreamOperatorTestHarness<LedgerRequest, ScreenInput> identify;
    private KeyedOneInputStreamOperatorTestHarness<String, IdClaim, GateAnswer> gate;
    private KeyedBroadcastOperatorTestHarness<String, ScreenInput, FraudRule, LedgerRequest>
            admission;

    @BeforeEach
    void setUp() throws Exception {
        identify = ProcessFunctionTestHarnesses.forProcessFunction(new IdentifyRequests());
        gate =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new IdempotencyGate(RETENTION)),
                        IdClaim::getGateKey,
                        Types.STRING);
        gate.open();
        admission = newAdmission();
        admission.open();
    }

    /** Admission runs in the fraud screen's operator; with no rules the screen forwards all. */
    private static KeyedBroadcastOperatorTestHarness<String, ScreenInput, FraudRule, LedgerRequest>
            newAdmission() throws Exception {
        KeyedBroadcastOperatorTestHarness<String, ScreenInput, FraudRule, LedgerRequest> harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new AdmissionAndScreen(
                                        FraudScreenSettings.defaults(),
                                        "test",
                                        "ledger.fraud-rules",
                                        "ledger.requests"),
                                List.of(FraudScreen.RULES)),
                        ScreenInput::getAccountId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        return harness;
    }

    @AfterEach
    void tearDown() throws Exception {
        admission.close();
        gate.close();
        identify.close();
    }

    private static MoneyMovement.Builder transfer(String id, long amount) {
        return MoneyMovement.newBuilder()
                .setTransactionId(id)
                .setPartnerId("p1")
                .setType(MovementType.TRANSFER)
                .setSourceAccountId("a")
                .setDestinationAccountId("b")
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setEventTime(Instant.ofEpochMilli(1))
                .setReceivedTime(Instant.ofEpochMilli(2));
    }

    /** What identify emits for one request: the request for admission, the claim for the gate. */
    private record Identified(ClaimedRequest request, IdClaim claim) {}

    private Identified identify(MoneyMovement m) throws Exception {
        identify.processElement(new StreamRecord<>(new LedgerRequest(m)));
        ClaimedRequest request = single(this.<ScreenInput>drain(identify)).request;
        IdClaim claim = single(drainSide(identify, IdentifyRequests.CLAIMS));
        return new Identified(request, claim);
    }

    private List<GateAnswer> ask(IdClaim claim) throws Exception {
        gate.processElement(new StreamRecord<>(claim));
        return drain(gate);
    }

    /** The whole path, request before answers: the usual order. */
    private void send(MoneyMovement m) throws Exception {
        Identified identified = identify(m);
        admission.processElement(new StreamRecord<>(ScreenInput.of(identified.request())));
        for (GateAnswer answer : ask(identified.claim())) {
            if (answer.inflow != null) {
                inflows.add(answer);
            }
            admission.processElement(new StreamRecord<>(ScreenInput.of(answer)));
        }
    }

    private final List<LedgerRequest> forwarded = new ArrayList<>();
    private final List<GateAnswer> inflows = new ArrayList<>();

    private List<LedgerRequest> admitted() {
        forwarded.addAll(drain(admission));
        return forwarded;
    }

    @Test
    void sameIdSamePayloadIsAdmittedOnce() throws Exception {
        send(transfer("t1", 100).build());
        send(transfer("t1", 100).setReceivedTime(Instant.ofEpochMilli(99)).build());

        assertThat(admitted()).hasSize(1);
        assertThat(drainSide(admission, Admission.CONFLICTS)).isEmpty();
    }

    @Test
    void sameIdDifferentPayloadIsADeadLetterAndNotASecondResult() throws Exception {
        send(transfer("t1", 100).build());
        send(transfer("t1", 999).build());

        assertThat(admitted()).hasSize(1);
        List<DeadLetter> conflicts = drainSide(admission, Admission.CONFLICTS);
        assertThat(conflicts).hasSize(1);
        assertThat(conflicts.get(0).getReason()).isEqualTo("DUPLICATE_TRANSACTION");
        assertThat(conflicts.get(0).getDetail()).contains("reused id t1").contains("999");
        assertThat(drainSide(admission, Admission.REJECTED)).isEmpty();
    }

    @Test
    void aReusedIdIsCaughtWhicheverAccountItNames() throws Exception {
        send(transfer("t1", 100).build());
        send(transfer("t1", 100).setSourceAccountId("elsewhere").build());

        assertThat(admitted()).extracting(LedgerRouting::accountOf).containsExactly("a");
        assertThat(drainSide(admission, Admission.CONFLICTS)).hasSize(1);
    }

    @Test
    void idsArePerPartner() throws Exception {
        send(transfer("t1", 100).build());
        send(transfer("t1", 100).setPartnerId("p2").build());

        assertThat(admitted()).hasSize(2);
    }

    @Test
    void malformedMovementsGetARejectionResult() throws Exception {
        send(transfer("zero", 0).build());
        send(transfer("same", 5).setDestinationAccountId("a").build());
        send(transfer("currency", 5).setCurrency("XYZ").build());
        send(transfer("no-destination", 5).setDestinationAccountId(null).build());

        assertThat(admitted()).isEmpty();
        assertThat(inflows).as("no inflow announced for a refused transfer").isEmpty();
        assertThat(drainSide(admission, Admission.REJECTED))
                .extracting(TransactionResult::getTransactionId, TransactionResult::getReason)
                .containsExactly(
                        tuple("zero", ReasonCode.INVALID_AMOUNT),
                        tuple("same", ReasonCode.SAME_ACCOUNT),
                        tuple("currency", ReasonCode.OTHER),
                        tuple("no-destination", ReasonCode.OTHER));
    }

    @Test
    void aMovementWithoutTheAccountItActsOnIsRefusedAndStopsNothing() throws Exception {
        send(transfer("no-source", 5).setSourceAccountId(null).build());
        send(
                transfer("no-destination-deposit", 5)
                        .setType(MovementType.DEPOSIT)
                        .setSourceAccountId(null)
                        .setDestinationAccountId(null)
                        .build());
        send(transfer("fine", 5).build());

        assertThat(drainSide(admission, Admission.REJECTED))
                .extracting(TransactionResult::getTransactionId, TransactionResult::getReason)
                .containsExactly(
                        tuple("no-source", ReasonCode.OTHER),
                        tuple("no-destination-deposit", ReasonCode.OTHER));
        assertThat(admitted())
                .extracting(r -> ((MoneyMovement) r.getRequest()).getTransactionId())
                .containsExactly("fine");
    }

    @Test
    void rejectedIdsAreRememberedToo() throws Exception {
        send(transfer("t1", 0).build());
        send(transfer("t1", 0).build());

        assertThat(drainSide(admission, Admission.REJECTED)).hasSize(1);
    }

    @Test
    void idsAreForgottenAfterTheRetention() throws Exception {
        gate.setStateTtlProcessingTime(0);
        send(transfer("t1", 100).build());

        gate.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
        send(transfer("t1", 100).build());

        assertThat(admitted()).as("the id's state expired, so it is new again").hasSize(2);
    }

    @Test
    void anAdmittedTransferAnnouncesItsMoneyAtTheDestinationOnce() throws Exception {
        send(transfer("t1", 100).build());
        send(transfer("t1", 100).build());

        assertThat(inflows).hasSize(1);
        assertThat(inflows.get(0).account).isEqualTo("b");
        assertThat(inflows.get(0).inflow.amountMinor).isEqualTo(100);
        assertThat(inflows.get(0).inflow.counterparty).isEqualTo("a");
        assertThat(admitted()).as("the inflow is observed, not forwarded").hasSize(1);
    }

    @Test
    void oneAccountsRequestsLeaveInArrivalOrderWhateverOrderTheGateAnswersIn() throws Exception {
        Identified first = identify(transfer("t1", 1).build());
        Identified second = identify(transfer("t2", 2).build());
        Identified third = identify(transfer("t3", 3).build());
        // The answer about the third comes before its request, the first's last of all.
        List<GateAnswer> thirdAnswers = ask(third.claim());
        List<GateAnswer> secondAnswers = ask(second.claim());
        List<GateAnswer> firstAnswers = ask(first.claim());
        for (GateAnswer a : thirdAnswers) {
            admission.processElement(new StreamRecord<>(ScreenInput.of(a)));
        }
        admission.processElement(new StreamRecord<>(ScreenInput.of(first.request())));
        admission.processElement(new StreamRecord<>(ScreenInput.of(second.request())));
        for (GateAnswer a : secondAnswers) {
            admission.processElement(new StreamRecord<>(ScreenInput.of(a)));
        }
        admission.processElement(new StreamRecord<>(ScreenInput.of(third.request())));
        assertThat(admitted()).as("all wait for the first").isEmpty();

        for (GateAnswer a : firstAnswers) {
            admission.processElement(new StreamRecord<>(ScreenInput.of(a)));
        }
        assertThat(admitted())
                .extracting(r -> ((MoneyMovement) r.getRequest()).getTransactionId())
                .containsExactly("t1", "t2", "t3");
    }

    @Test
    void waitingRequestsSurviveASnapshotAndRestore() throws Exception {
        Identified first = identify(transfer("t1", 1).build());
        admission.processElement(new StreamRecord<>(ScreenInput.of(first.request())));
        var snapshot = admission.snapshot(1, 1);
        admission.close();

        admission = newAdmission();
        admission.initializeState(snapshot);
        admission.open();
        for (GateAnswer a : ask(first.claim())) {
            admission.processElement(new StreamRecord<>(ScreenInput.of(a)));
        }
        assertThat(admitted()).hasSize(1);
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> drain(AbstractStreamOperatorTestHarness<?> harness) {
        List<T> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((T) r.getValue());
            }
        }
        harness.getOutput().clear();
        return out;
    }

    private static <T> List<T> drainSide(
            AbstractStreamOperatorTestHarness<?> harness, OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        Queue<StreamRecord<T>> queue = harness.getSideOutput(tag);
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
            queue.clear();
        }
        return out;
    }
}
