package io.ledgerflow.jobs.ledger;

import static io.ledgerflow.avro.MovementType.CAPTURE;
import static io.ledgerflow.avro.MovementType.DEPOSIT;
import static io.ledgerflow.avro.MovementType.HOLD;
import static io.ledgerflow.avro.MovementType.REFUND;
import static io.ledgerflow.avro.MovementType.TRANSFER;
import static io.ledgerflow.avro.MovementType.VOID;
import static io.ledgerflow.avro.MovementType.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.testutils.LedgerInvariants;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each ledger rule, one account leg at a time, through Flink's operator test harness. */
class LedgerFunctionTest {

    private LedgerHarness ledger;

    @BeforeEach
    void setUp() throws Exception {
        ledger = new LedgerHarness();
        ledger.open("alice", "EUR", 0);
        ledger.open("bob", "EUR", 0);
        ledger.applyOne(deposit("alice", 10_000));
    }

    @AfterEach
    void tearDown() throws Exception {
        LedgerInvariants.assertLedgerConsistent(ledger.entries());
        ledger.close();
    }

    private MoneyMovement deposit(String account, long amount) {
        return ledger.movement(DEPOSIT, amount).setDestinationAccountId(account).build();
    }

    private MoneyMovement transfer(String from, String to, long amount) {
        return ledger.movement(TRANSFER, amount)
                .setSourceAccountId(from)
                .setDestinationAccountId(to)
                .build();
    }

    private MoneyMovement hold(String from, String payee, long amount) {
        return ledger.movement(HOLD, amount)
                .setSourceAccountId(from)
                .setDestinationAccountId(payee)
                .build();
    }

    private MoneyMovement onHold(io.ledgerflow.avro.MovementType type, String holdId, long amount) {
        return ledger.movement(type, amount)
                .setSourceAccountId("alice")
                .setRelatedTransactionId(holdId)
                .build();
    }

    @Test
    void depositCreditsTheAccountAndDebitsTheSystemAccount() {
        assertThat(ledger.balance("alice")).isEqualTo(10_000);
        Map<String, Long> balances = LedgerInvariants.assertLedgerConsistent(ledger.entries());
        long system =
                balances.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(LedgerFunction.SYSTEM_ACCOUNT_PREFIX))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        assertThat(system).isEqualTo(-10_000);
    }

    @Test
    void transferMovesMoneyAndCompletesOnce() throws Exception {
        TransactionResult result = ledger.applyOne(transfer("alice", "bob", 2_500));

        assertThat(result.getStatus()).isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.balance("alice")).isEqualTo(7_500);
        assertThat(ledger.balance("bob")).isEqualTo(2_500);
        List<LedgerEntry> legs =
                ledger.entries().stream()
                        .filter(e -> e.getTransactionId().equals(result.getTransactionId()))
                        .toList();
        assertThat(legs).hasSize(2);
        assertThat(ledger.state("bob").getLastSequence()).isEqualTo(1);
    }

    @Test
    void insufficientFundsIsRejectedWithoutPostings() throws Exception {
        int entriesBefore = ledger.entries().size();

        TransactionResult result = ledger.applyOne(transfer("alice", "bob", 10_001));

        assertThat(result.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);
        assertThat(ledger.entries()).hasSize(entriesBefore);
        assertThat(ledger.balance("alice")).isEqualTo(10_000);
    }

    @Test
    void overdraftAllowsGoingBelowZeroUpToTheLimit() throws Exception {
        ledger.open("carol", "EUR", 500);

        assertThat(ledger.applyOne(transfer("carol", "bob", 500)).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.applyOne(transfer("carol", "bob", 1)).getReason())
                .isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);
        assertThat(ledger.balance("carol")).isEqualTo(-500);
    }

    @Test
    void refusedCreditIsCompensated() throws Exception {
        ledger.open("dollar", "USD", 0);

        TransactionResult result = ledger.applyOne(transfer("alice", "dollar", 1_000));

        assertThat(result.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo(ReasonCode.CURRENCY_MISMATCH);
        assertThat(ledger.balance("alice")).isEqualTo(10_000);
        assertThat(ledger.entries()).anyMatch(LedgerEntry::getReversal);
    }

    @Test
    void unknownDestinationIsCompensated() throws Exception {
        TransactionResult result = ledger.applyOne(transfer("alice", "nobody", 1_000));

        assertThat(result.getReason()).isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);
        assertThat(ledger.balance("alice")).isEqualTo(10_000);
    }

    @Test
    void unknownSourceIsRejected() throws Exception {
        assertThat(ledger.applyOne(transfer("nobody", "bob", 1)).getReason())
                .isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);
        assertThat(ledger.harness.numProcessingTimeTimers()).as("nothing waits").isZero();
    }

    @Test
    void aDepositBeforeItsAccountIsOpenIsRefusedAtOnce() throws Exception {
        // Admission delivers one account's requests in the order the API accepted them, so a
        // deposit that comes first really was accepted before the OPEN: nothing to wait for.
        assertThat(ledger.applyOne(deposit("carol", 500)).getReason())
                .isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);
        assertThat(ledger.harness.numProcessingTimeTimers()).isZero();
        ledger.open("carol", "EUR", 0);
        assertThat(ledger.balance("carol")).isZero();
    }

    @Test
    void aCaptureOfAHoldNotSeenIsRefusedAtOnce() throws Exception {
        MoneyMovement hold = hold("alice", "bob", 3_000);
        MoneyMovement capture = onHold(CAPTURE, hold.getTransactionId(), 2_000);
        assertThat(ledger.applyOne(capture).getReason())
                .isEqualTo(ReasonCode.RELATED_TRANSACTION_NOT_FOUND);

        assertThat(ledger.apply(hold))
                .extracting(TransactionResult::getStatus)
                .containsExactly(TransactionStatus.HELD);
        assertThat(ledger.state("alice").getHeldMinor()).isEqualTo(3_000);
    }

    @Test
    void aRefundThatOvertakesTheCreditItRefundsWaitsForIt() throws Exception {
        MoneyMovement original = transfer("alice", "bob", 1_000);
        MoneyMovement refund =
                ledger.movement(REFUND, 400)
                        .setSourceAccountId("bob")
                        .setDestinationAccountId("alice")
                        .setRelatedTransactionId(original.getTransactionId())
                        .build();
        assertThat(ledger.apply(refund)).isEmpty();

        ledger.apply(original);

        assertThat(ledger.results())
                .filteredOn(r -> r.getTransactionId().equals(refund.getTransactionId()))
                .singleElement()
                .extracting(TransactionResult::getStatus)
                .isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.balance("alice")).isEqualTo(9_400);
        assertThat(ledger.balance("bob")).isEqualTo(600);
    }

    @Test
    void requestsBehindAWaitingRefundWaitWithItAndKeepTheirOrder() throws Exception {
        ledger.open("carol", "EUR", 0);
        MoneyMovement original = transfer("alice", "bob", 1_000);
        MoneyMovement refund =
                ledger.movement(REFUND, 400)
                        .setSourceAccountId("bob")
                        .setDestinationAccountId("alice")
                        .setRelatedTransactionId(original.getTransactionId())
                        .build();
        assertThat(ledger.apply(refund)).as("waits for the credit it refunds").isEmpty();
        // Bob can pay 600 only after the refund has taken its 400 of the 1,000 he receives.
        MoneyMovement payment = transfer("bob", "carol", 600);
        assertThat(ledger.apply(payment))
                .as("accepted after the refund: waits behind it")
                .isEmpty();

        ledger.apply(original);

        assertThat(ledger.results())
                .filteredOn(
                        r ->
                                r.getTransactionId().equals(refund.getTransactionId())
                                        || r.getTransactionId().equals(payment.getTransactionId()))
                .extracting(TransactionResult::getTransactionId, TransactionResult::getStatus)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple(
                                refund.getTransactionId(), TransactionStatus.COMPLETED));
        assertThat(ledger.balance("bob")).isZero();
        assertThat(ledger.balance("carol")).isEqualTo(600);
        assertThat(ledger.harness.numProcessingTimeTimers()).as("no park timer left").isZero();
    }

    @Test
    void frozenAccountsNeitherSendNorReceiveUntilUnfrozen() throws Exception {
        ledger.command("bob", AccountCommandType.FREEZE, null, 0);
        assertThat(ledger.state("bob").getStatus()).isEqualTo(AccountStatus.FROZEN);

        assertThat(ledger.applyOne(transfer("alice", "bob", 100)).getReason())
                .isEqualTo(ReasonCode.ACCOUNT_FROZEN);
        ledger.command("alice", AccountCommandType.FREEZE, null, 0);
        assertThat(ledger.applyOne(transfer("alice", "bob", 100)).getReason())
                .isEqualTo(ReasonCode.ACCOUNT_FROZEN);

        ledger.command("alice", AccountCommandType.UNFREEZE, null, 0);
        ledger.command("bob", AccountCommandType.UNFREEZE, null, 0);
        assertThat(ledger.applyOne(transfer("alice", "bob", 100)).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);
    }

    @Test
    void closeNeedsAZeroBalanceAndIsFinal() throws Exception {
        AccountCommandResult refused = ledger.command("alice", AccountCommandType.CLOSE, null, 0);
        assertThat(refused.getAccepted()).isFalse();
        assertThat(refused.getReason()).isEqualTo(ReasonCode.BALANCE_NOT_ZERO);

        assertThat(ledger.command("bob", AccountCommandType.CLOSE, null, 0).getAccepted()).isTrue();
        assertThat(ledger.applyOne(transfer("alice", "bob", 1)).getReason())
                .isEqualTo(ReasonCode.ACCOUNT_CLOSED);
        assertThat(ledger.command("bob", AccountCommandType.UNFREEZE, null, 0).getReason())
                .isEqualTo(ReasonCode.ACCOUNT_CLOSED);
        assertThat(ledger.command("bob", AccountCommandType.OPEN, "EUR", 0).getReason())
                .isEqualTo(ReasonCode.ACCOUNT_ALREADY_EXISTS);
    }

    @Test
    void withdrawalLeavesTheLedger() throws Exception {
        MoneyMovement withdrawal =
                ledger.movement(WITHDRAWAL, 4_000).setSourceAccountId("alice").build();
        assertThat(ledger.applyOne(withdrawal).getStatus()).isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.balance("alice")).isEqualTo(6_000);

        MoneyMovement tooMuch =
                ledger.movement(WITHDRAWAL, 6_001).setSourceAccountId("alice").build();
        assertThat(ledger.applyOne(tooMuch).getReason()).isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);
    }

    @Test
    void holdReservesFundsAndPartialCaptureReleasesTheRest() throws Exception {
        MoneyMovement hold = hold("alice", "bob", 6_000);
        assertThat(ledger.applyOne(hold).getStatus()).isEqualTo(TransactionStatus.HELD);
        assertThat(ledger.state("alice").getAvailableMinor()).isEqualTo(4_000);
        assertThat(ledger.applyOne(transfer("alice", "bob", 4_001)).getReason())
                .isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);

        MoneyMovement capture =
                MoneyMovement.newBuilder(onHold(CAPTURE, hold.getTransactionId(), 2_500))
                        .setEventTime(hold.getEventTime().plusSeconds(30))
                        .setReceivedTime(hold.getReceivedTime().plusSeconds(60))
                        .build();
        List<TransactionResult> results = ledger.apply(capture);

        assertThat(results)
                .extracting(TransactionResult::getStatus)
                .containsExactlyInAnyOrder(TransactionStatus.CAPTURED, TransactionStatus.COMPLETED);
        // Every result of a transaction carries its own times (the read model's row key).
        assertThat(results)
                .extracting(
                        TransactionResult::getTransactionId,
                        TransactionResult::getEventTime,
                        TransactionResult::getReceivedTime)
                .containsExactlyInAnyOrder(
                        tuple(hold.getTransactionId(), hold.getEventTime(), hold.getReceivedTime()),
                        tuple(
                                capture.getTransactionId(),
                                capture.getEventTime(),
                                capture.getReceivedTime()));
        assertThat(ledger.state("alice").getHeldMinor()).isZero();
        assertThat(ledger.balance("alice")).isEqualTo(7_500);
        assertThat(ledger.balance("bob")).isEqualTo(2_500);
        assertThat(ledger.applyOne(onHold(CAPTURE, hold.getTransactionId(), 1)).getReason())
                .isEqualTo(ReasonCode.INVALID_STATE);
        assertThat(ledger.harness.numProcessingTimeTimers()).as("expiry timer removed").isZero();
    }

    @Test
    void captureCannotExceedTheHold() throws Exception {
        MoneyMovement hold = hold("alice", "bob", 1_000);
        ledger.applyOne(hold);

        assertThat(ledger.applyOne(onHold(CAPTURE, hold.getTransactionId(), 1_001)).getReason())
                .isEqualTo(ReasonCode.CAPTURE_EXCEEDS_HOLD);
        assertThat(ledger.apply(onHold(VOID, hold.getTransactionId(), 0)))
                .extracting(TransactionResult::getStatus)
                .containsExactlyInAnyOrder(TransactionStatus.VOIDED, TransactionStatus.COMPLETED);
    }

    @Test
    void voidReleasesTheHoldAndEndsIt() throws Exception {
        MoneyMovement hold = hold("alice", "bob", 3_000);
        ledger.applyOne(hold);

        ledger.apply(onHold(VOID, hold.getTransactionId(), 0));

        assertThat(ledger.state("alice").getHeldMinor()).isZero();
        assertThat(ledger.balance("alice")).isEqualTo(10_000);
        assertThat(ledger.applyOne(onHold(CAPTURE, hold.getTransactionId(), 1)).getReason())
                .isEqualTo(ReasonCode.INVALID_STATE);
        assertThat(ledger.applyOne(onHold(VOID, "no-such-hold", 0)).getReason())
                .isEqualTo(ReasonCode.RELATED_TRANSACTION_NOT_FOUND);
        assertThat(ledger.harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aRaisedOverdraftLimitAllowsAWithdrawalTheOldOneRefused() throws Exception {
        MoneyMovement withdrawal =
                ledger.movement(WITHDRAWAL, 10_500).setSourceAccountId("alice").build();
        assertThat(ledger.applyOne(withdrawal).getReason())
                .isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);

        AccountCommandResult raised =
                ledger.command("alice", AccountCommandType.SET_OVERDRAFT_LIMIT, "EUR", 1_000);

        assertThat(raised.getAccepted()).isTrue();
        assertThat(ledger.state("alice").getOverdraftLimitMinor()).isEqualTo(1_000);
        MoneyMovement again =
                ledger.movement(WITHDRAWAL, 10_500).setSourceAccountId("alice").build();
        assertThat(ledger.applyOne(again).getStatus()).isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.balance("alice")).isEqualTo(-500);
    }

    @Test
    void anOverdraftLimitBelowWhatTheAccountUsesIsRefusedAndChangesNothing() throws Exception {
        ledger.command("alice", AccountCommandType.SET_OVERDRAFT_LIMIT, "EUR", 1_000);
        ledger.applyOne(ledger.movement(WITHDRAWAL, 10_400).setSourceAccountId("alice").build());
        ledger.applyOne(hold("alice", "bob", 300)); // available -700
        long version = ledger.state("alice").getVersion();

        AccountCommandResult lowered =
                ledger.command("alice", AccountCommandType.SET_OVERDRAFT_LIMIT, "EUR", 699);

        assertThat(lowered.getAccepted()).isFalse();
        assertThat(lowered.getReason()).isEqualTo(ReasonCode.OVERDRAFT_IN_USE);
        assertThat(ledger.state("alice").getVersion()).isEqualTo(version);
        assertThat(ledger.state("alice").getOverdraftLimitMinor()).isEqualTo(1_000);
        assertThat(
                        ledger.command("alice", AccountCommandType.SET_OVERDRAFT_LIMIT, "EUR", 700)
                                .getAccepted())
                .isTrue();
        // At the new limit nothing more can leave, not even one cent.
        assertThat(
                        ledger.applyOne(
                                        ledger.movement(WITHDRAWAL, 1)
                                                .setSourceAccountId("alice")
                                                .build())
                                .getReason())
                .isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);
    }

    @Test
    void aHoldWithItsOwnExpiryExpiresThenWhileAnotherKeepsTheDefault() throws Exception {
        MoneyMovement shortHold =
                ledger.movement(HOLD, 1_000)
                        .setSourceAccountId("alice")
                        .setDestinationAccountId("bob")
                        .setHoldExpiresInMillis(60_000L)
                        .build();
        MoneyMovement defaultHold = hold("alice", "bob", 2_000);
        ledger.applyOne(shortHold);
        ledger.applyOne(defaultHold);
        assertThat(ledger.harness.numProcessingTimeTimers()).isEqualTo(2);

        List<TransactionResult> first = ledger.advanceTo(1_000_000L + 60_000);

        assertThat(first).singleElement();
        assertThat(first.get(0).getTransactionId()).isEqualTo(shortHold.getTransactionId());
        assertThat(first.get(0).getStatus()).isEqualTo(TransactionStatus.EXPIRED);
        assertThat(ledger.state("alice").getHeldMinor()).isEqualTo(2_000);
        assertThat(ledger.harness.numProcessingTimeTimers()).isEqualTo(1);

        List<TransactionResult> second =
                ledger.advanceTo(1_000_000L + LedgerHarness.HOLD_EXPIRY.toMillis());

        assertThat(second).singleElement();
        assertThat(second.get(0).getTransactionId()).isEqualTo(defaultHold.getTransactionId());
        assertThat(ledger.state("alice").getHeldMinor()).isZero();
        assertThat(ledger.harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void voidingAHoldWithItsOwnExpiryDropsItsTimer() throws Exception {
        MoneyMovement hold =
                ledger.movement(HOLD, 1_000)
                        .setSourceAccountId("alice")
                        .setHoldExpiresInMillis(5_000L)
                        .build();
        ledger.applyOne(hold);

        ledger.apply(onHold(VOID, hold.getTransactionId(), 0));

        assertThat(ledger.harness.numProcessingTimeTimers()).isZero();
        assertThat(ledger.advanceTo(1_000_000L + 5_000)).isEmpty();
    }

    @Test
    void holdExpiresByTimerAndTheTimerIsGone() throws Exception {
        MoneyMovement hold = hold("alice", "bob", 3_000);
        ledger.applyOne(hold);
        assertThat(ledger.harness.numProcessingTimeTimers()).isEqualTo(1);

        List<TransactionResult> expired =
                ledger.advanceTo(1_000_000L + LedgerHarness.HOLD_EXPIRY.toMillis());

        assertThat(expired).hasSize(1);
        assertThat(expired.get(0).getStatus()).isEqualTo(TransactionStatus.EXPIRED);
        assertThat(expired.get(0).getReason()).isEqualTo(ReasonCode.HOLD_EXPIRED);
        assertThat(ledger.state("alice").getHeldMinor()).isZero();
        assertThat(ledger.harness.numProcessingTimeTimers()).isZero();
        assertThat(ledger.applyOne(onHold(CAPTURE, hold.getTransactionId(), 1)).getReason())
                .isEqualTo(ReasonCode.HOLD_EXPIRED);
    }

    @Test
    void captureRefusedByThePayeeVoidsTheHold() throws Exception {
        MoneyMovement hold = hold("alice", "nobody", 3_000);
        ledger.applyOne(hold);

        List<TransactionResult> results =
                ledger.apply(onHold(CAPTURE, hold.getTransactionId(), 3_000));

        assertThat(results)
                .extracting(TransactionResult::getStatus)
                .containsExactlyInAnyOrder(TransactionStatus.VOIDED, TransactionStatus.REJECTED);
        assertThat(ledger.balance("alice")).isEqualTo(10_000);
        assertThat(ledger.state("alice").getHeldMinor()).isZero();
    }

    @Test
    void refundsNeverExceedWhatWasTransferred() throws Exception {
        MoneyMovement original = transfer("alice", "bob", 3_000);
        ledger.applyOne(original);

        MoneyMovement.Builder refund =
                ledger.movement(REFUND, 2_000)
                        .setSourceAccountId("bob")
                        .setDestinationAccountId("alice")
                        .setRelatedTransactionId(original.getTransactionId());
        assertThat(ledger.applyOne(refund.build()).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);
        refund.setTransactionId("refund-2").setAmountMinor(1_001);
        assertThat(ledger.applyOne(refund.build()).getReason())
                .isEqualTo(ReasonCode.REFUND_EXCEEDS_ORIGINAL);
        refund.setTransactionId("refund-3").setAmountMinor(1_000);
        assertThat(ledger.applyOne(refund.build()).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);

        assertThat(ledger.balance("alice")).isEqualTo(10_000);
        assertThat(ledger.balance("bob")).isZero();
    }

    @Test
    void refundGoesOnlyToTheOriginalPayer() throws Exception {
        ledger.open("carol", "EUR", 0);
        MoneyMovement original = transfer("alice", "bob", 3_000);
        ledger.applyOne(original);

        MoneyMovement elsewhere =
                ledger.movement(REFUND, 1_000)
                        .setSourceAccountId("bob")
                        .setDestinationAccountId("carol")
                        .setRelatedTransactionId(original.getTransactionId())
                        .build();
        assertThat(ledger.applyOne(elsewhere).getReason()).isEqualTo(ReasonCode.INVALID_STATE);

        MoneyMovement unknown =
                ledger.movement(REFUND, 1_000)
                        .setSourceAccountId("bob")
                        .setDestinationAccountId("alice")
                        .setRelatedTransactionId("never-happened")
                        .build();
        assertThat(ledger.applyOneAfterParkWindow(unknown).getReason())
                .isEqualTo(ReasonCode.RELATED_TRANSACTION_NOT_FOUND);
    }

    @Test
    void anotherPartnersAccountLooksUnknown() throws Exception {
        MoneyMovement foreign =
                ledger.movement(TRANSFER, 100)
                        .setPartnerId("partner-2")
                        .setSourceAccountId("alice")
                        .setDestinationAccountId("bob")
                        .build();

        assertThat(ledger.applyOne(foreign).getReason()).isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);
        assertThat(ledger.balance("alice")).isEqualTo(10_000);
    }

    @Test
    void entriesChainPerAccount() throws Exception {
        for (int i = 0; i < 5; i++) {
            ledger.applyOne(transfer("alice", "bob", 100));
            ledger.applyOne(transfer("bob", "alice", 50));
        }
        LedgerInvariants.assertLedgerConsistent(ledger.entries());
        assertThat(ledger.state("alice").getLastSequence()).isEqualTo(11);
        assertThat(ledger.state("alice").getVersion()).isEqualTo(12);
    }
}
