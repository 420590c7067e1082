package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.fraud.FraudScreen;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * State written by an earlier version restores into today's operators, operator by operator, as a
 * savepoint restores: the snapshots in {@code state-snapshots/} were written by that version's code
 * (see the README there), and each is restored here and then used. The idempotency gate still knows
 * the id it saw, the ledger the account, its balance and its open hold, and the admission and fraud
 * screen operator (a different class since then, in another package) its rule, the account's recent
 * movements and the request that was waiting at admission.
 */
class LedgerStateRestoreTest {

    private static final String BEFORE_FLINK_SUPPORT = "before-flink-support";
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void theGateStillKnowsTheIdsItSaw() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, IdClaim, GateAnswer> gate =
                StatefulOperators.gate()) {
            gate.setProcessingTime(1_000_000L);
            gate.initializeState(snapshot(BEFORE_FLINK_SUPPORT, "idempotency-gate"));
            gate.open();

            gate.processElement(
                    new StreamRecord<>(
                            new IdClaim("p1\u0000m\u0000tx-1", 42L, "acc-a", null, null)));

            assertThat(gate.extractOutputValues())
                    .extracting(answer -> answer.verdict)
                    .containsExactly(GateVerdict.DUPLICATE);
        }
    }

    @Test
    void theLedgerStillKnowsTheAccountItsBalanceAndItsOpenHold() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, LedgerRequest, LedgerInstruction, TransactionResult>
                ledger = StatefulOperators.ledger()) {
            ledger.setProcessingTime(1_000_000L);
            ledger.initializeState(snapshot(BEFORE_FLINK_SUPPORT, "ledger"));
            ledger.open();

            // 1,000 deposited, 100 of it held: 900 available until the hold is voided.
            ledger.processElement1(record(movement(MovementType.WITHDRAWAL, "w-1", 901)));
            ledger.processElement1(record(voidOf("hold-1")));
            ledger.processElement1(record(movement(MovementType.WITHDRAWAL, "w-2", 1_000)));

            assertThat(ledger.extractOutputValues())
                    .extracting(
                            TransactionResult::getTransactionId,
                            TransactionResult::getStatus,
                            TransactionResult::getReason)
                    .containsExactly(
                            tuple("w-1", TransactionStatus.REJECTED, ReasonCode.INSUFFICIENT_FUNDS),
                            tuple("hold-1", TransactionStatus.VOIDED, null),
                            tuple("void-hold-1", TransactionStatus.COMPLETED, null),
                            tuple("w-2", TransactionStatus.COMPLETED, null));
        }
    }

    @Test
    void admissionAndTheScreenStillHaveTheRuleTheHistoryAndTheWaitingRequest() throws Exception {
        KeyedBroadcastOperatorTestHarness<String, ScreenInput, FraudRule, LedgerRequest> screen =
                StatefulOperators.admissionAndScreen();
        try (screen) {
            screen.initializeState(snapshot(BEFORE_FLINK_SUPPORT, "fraud-screen"));
            screen.open();
            screen.setProcessingTime(1_000_000L);

            // The gate admits tr-2, which has waited at admission since before the snapshot.
            ClaimedRequest waiting =
                    ClaimedRequest.of(
                            movement(MovementType.TRANSFER, "tr-2", 10, T0.plusSeconds(60)), 7L);
            GateAnswer admitted = new GateAnswer();
            admitted.account = waiting.account;
            admitted.gateKey = waiting.gateKey;
            admitted.fingerprint = waiting.fingerprint;
            admitted.verdict = GateVerdict.ADMITTED;
            screen.processElement(new StreamRecord<>(ScreenInput.of(admitted)));

            assertThat(screen.extractOutputValues())
                    .as("released from admission, screened, forwarded")
                    .extracting(r -> ((MoneyMovement) r.getRequest()).getTransactionId())
                    .containsExactly("tr-2");
            // tr-1 (before the snapshot) and tr-2 within ten minutes: the velocity rule fires.
            assertThat(screen.getSideOutput(FraudScreen.ALERTS))
                    .extracting(r -> ((FraudAlert) r.getValue()).getRuleId())
                    .containsExactly("velocity-1");
        }
    }

    private static OperatorSubtaskState snapshot(String version, String uid) throws Exception {
        URL file =
                LedgerStateRestoreTest.class.getResource("/state-snapshots/" + version + "/" + uid);
        assertThat(file).as("snapshot %s/%s", version, uid).isNotNull();
        return OperatorSnapshotUtil.readStateHandle(Path.of(file.toURI()).toString());
    }

    private static StreamRecord<LedgerRequest> record(LedgerRequest request) {
        return new StreamRecord<>(request);
    }

    private static LedgerRequest movement(MovementType type, String id, long amount) {
        return movement(type, id, amount, T0.plusSeconds(120));
    }

    private static LedgerRequest movement(MovementType type, String id, long amount, Instant at) {
        MoneyMovement.Builder m =
                MoneyMovement.newBuilder()
                        .setTransactionId(id)
                        .setPartnerId("p1")
                        .setType(type)
                        .setAmountMinor(amount)
                        .setCurrency("EUR")
                        .setEventTime(at)
                        .setReceivedTime(at);
        if (type == MovementType.TRANSFER) {
            m.setSourceAccountId("acc-a").setDestinationAccountId("acc-b");
        } else {
            m.setSourceAccountId("acc-a");
        }
        return new LedgerRequest(m.build());
    }

    private static LedgerRequest voidOf(String holdId) {
        return new LedgerRequest(
                MoneyMovement.newBuilder()
                        .setTransactionId("void-" + holdId)
                        .setPartnerId("p1")
                        .setType(MovementType.VOID)
                        .setSourceAccountId("acc-a")
                        .setRelatedTransactionId(holdId)
                        .setAmountMinor(0)
                        .setCurrency("EUR")
                        .setEventTime(T0.plusSeconds(120))
                        .setReceivedTime(T0.plusSeconds(120))
                        .build());
    }
}
