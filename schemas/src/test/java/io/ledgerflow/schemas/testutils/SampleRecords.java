package io.ledgerflow.schemas.testutils;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in instance of every top-level record type, for round-trip tests. */
public final class SampleRecords {

    /** Millisecond precision: what timestamp-millis keeps. */
    public static final Instant EVENT_TIME = Instant.ofEpochMilli(1_790_000_000_123L);

    private SampleRecords() {}

    public static MoneyMovement transfer(String transactionId) {
        return MoneyMovement.newBuilder()
                .setTransactionId(transactionId)
                .setPartnerId("partner-1")
                .setType(MovementType.TRANSFER)
                .setSourceAccountId("acc-1")
                .setDestinationAccountId("acc-2")
                .setAmountMinor(1234)
                .setCurrency("USD")
                .setEventTime(EVENT_TIME)
                .setReceivedTime(EVENT_TIME.plusMillis(5))
                .setMetadata(Map.of("reference", "invoice 42"))
                .build();
    }

    public static AccountCommand openAccount() {
        return AccountCommand.newBuilder()
                .setCommandId("cmd-1")
                .setPartnerId("partner-1")
                .setAccountId("acc-1")
                .setType(AccountCommandType.OPEN)
                .setCurrency("USD")
                .setAccountType(AccountType.CUSTOMER)
                .setOverdraftLimitMinor(500)
                .setEventTime(EVENT_TIME)
                .setReceivedTime(EVENT_TIME)
                .build();
    }

    /** Every top-level record type, each once. */
    public static List<SpecificRecord> all() {
        return List.of(
                transfer("tx-1"),
                openAccount(),
                new LedgerRequest(transfer("tx-2")),
                new LedgerRequest(openAccount()),
                TransactionResult.newBuilder()
                        .setTransactionId("tx-1")
                        .setPartnerId("partner-1")
                        .setType(MovementType.TRANSFER)
                        .setStatus(TransactionStatus.REJECTED)
                        .setReason(ReasonCode.INSUFFICIENT_FUNDS)
                        .setReasonDetail("balance 10.00 USD, needed 12.34 USD")
                        .setSourceAccountId("acc-1")
                        .setDestinationAccountId("acc-2")
                        .setAmountMinor(1234)
                        .setCurrency("USD")
                        .setEventTime(EVENT_TIME)
                        .setReceivedTime(EVENT_TIME)
                        .setDecisionTime(EVENT_TIME.plusSeconds(1))
                        .build(),
                LedgerEntry.newBuilder()
                        .setAccountId("acc-1")
                        .setSequence(1)
                        .setTransactionId("tx-1")
                        .setPartnerId("partner-1")
                        .setMovementType(MovementType.TRANSFER)
                        .setDirection(EntryDirection.DEBIT)
                        .setAmountMinor(1234)
                        .setCurrency("USD")
                        .setBalanceAfterMinor(-1234)
                        .setCounterpartyAccountId("acc-2")
                        .setEventTime(EVENT_TIME)
                        .setPostedTime(EVENT_TIME)
                        .setPreviousHash("0".repeat(64))
                        .setHash("a".repeat(64))
                        .build(),
                AccountState.newBuilder()
                        .setAccountId("acc-1")
                        .setPartnerId("partner-1")
                        .setCurrency("USD")
                        .setAccountType(AccountType.BUSINESS)
                        .setStatus(AccountStatus.OPEN)
                        .setBalanceMinor(100)
                        .setHeldMinor(20)
                        .setAvailableMinor(80)
                        .setOverdraftLimitMinor(0)
                        .setLastSequence(3)
                        .setVersion(7)
                        .setCauseId("tx-1")
                        .setUpdatedTime(EVENT_TIME)
                        .build(),
                AccountCommandResult.newBuilder()
                        .setCommandId("cmd-1")
                        .setPartnerId("partner-1")
                        .setAccountId("acc-1")
                        .setType(AccountCommandType.CLOSE)
                        .setAccepted(false)
                        .setReason(ReasonCode.BALANCE_NOT_ZERO)
                        .setDecisionTime(EVENT_TIME)
                        .build(),
                LedgerInstruction.newBuilder()
                        .setInstructionId("tx-1/credit")
                        .setKind(InstructionKind.COMPENSATE)
                        .setMovement(transfer("tx-1"))
                        .setAccountId("acc-1")
                        .setCounterpartyAccountId("acc-2")
                        .setAmountMinor(1234)
                        .setReason(ReasonCode.CREDIT_REFUSED)
                        .setReasonDetail("acc-2 is frozen")
                        .setDebitSequence(4)
                        .setCreatedTime(EVENT_TIME)
                        .build(),
                DeadLetter.newBuilder()
                        .setSourceTopic("ledger.requests")
                        .setSourcePartition(3)
                        .setSourceOffset(42)
                        .setKey(ByteBuffer.wrap("acc-1".getBytes(StandardCharsets.UTF_8)))
                        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setReason("NOT_CONFLUENT_AVRO")
                        .setDetail("wrong magic byte")
                        .setJob("ledger")
                        .setFailedTime(EVENT_TIME)
                        .build());
    }
}
