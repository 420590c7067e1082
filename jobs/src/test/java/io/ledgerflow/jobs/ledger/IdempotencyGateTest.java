package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transaction ids are admitted once per partner; bad shapes are rejected before the ledger. */
class IdempotencyGateTest {

    private static final Duration RETENTION = Duration.ofHours(1);

    private KeyedOneInputStreamOperatorTestHarness<String, LedgerRequest, LedgerRequest> gate;

    @BeforeEach
    void setUp() throws Exception {
        gate =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new IdempotencyGate(RETENTION, "test", "ledger.requests")),
                        IdempotencyGate::keyOf,
                        Types.STRING);
        gate.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        gate.close();
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

    private void send(MoneyMovement m) throws Exception {
        gate.processElement(new StreamRecord<>(new LedgerRequest(m)));
    }

    private List<LedgerRequest> admitted() {
        List<LedgerRequest> out = new ArrayList<>();
        for (Object o : gate.getOutput()) {
            out.add((LedgerRequest) ((StreamRecord<?>) o).getValue());
        }
        return out;
    }

    private <T> List<T> side(OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        Queue<StreamRecord<T>> queue = gate.getSideOutput(tag);
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void sameIdSamePayloadIsAdmittedOnce() throws Exception {
        send(transfer("t1", 100).build());
        send(transfer("t1", 100).setReceivedTime(Instant.ofEpochMilli(99)).build());

        assertThat(admitted()).hasSize(1);
        assertThat(side(IdempotencyGate.CONFLICTS)).isEmpty();
    }

    @Test
    void sameIdDifferentPayloadIsADeadLetterAndNotASecondResult() throws Exception {
        send(transfer("t1", 100).build());
        send(transfer("t1", 999).build());

        assertThat(admitted()).hasSize(1);
        List<DeadLetter> conflicts = side(IdempotencyGate.CONFLICTS);
        assertThat(conflicts).hasSize(1);
        assertThat(conflicts.get(0).getReason()).isEqualTo("DUPLICATE_TRANSACTION");
        assertThat(side(IdempotencyGate.REJECTED)).isEmpty();
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
        assertThat(side(IdempotencyGate.REJECTED))
                .extracting(TransactionResult::getTransactionId, TransactionResult::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("zero", ReasonCode.INVALID_AMOUNT),
                        org.assertj.core.groups.Tuple.tuple("same", ReasonCode.SAME_ACCOUNT),
                        org.assertj.core.groups.Tuple.tuple("currency", ReasonCode.OTHER),
                        org.assertj.core.groups.Tuple.tuple("no-destination", ReasonCode.OTHER));
    }

    @Test
    void rejectedIdsAreRememberedToo() throws Exception {
        send(transfer("t1", 0).build());
        send(transfer("t1", 0).build());

        assertThat(side(IdempotencyGate.REJECTED)).hasSize(1);
    }

    @Test
    void idsAreForgottenAfterTheRetention() throws Exception {
        gate.setStateTtlProcessingTime(0);
        send(transfer("t1", 100).build());

        gate.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
        send(transfer("t1", 100).build());

        assertThat(admitted()).as("the id's state expired, so it is new again").hasSize(2);
    }
}
