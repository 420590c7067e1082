package io.ledgerflow.jobs.ledger;

import static io.ledgerflow.avro.MovementType.DEPOSIT;
import static io.ledgerflow.avro.MovementType.HOLD;
import static io.ledgerflow.avro.MovementType.TRANSFER;
import static io.ledgerflow.avro.MovementType.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.testutils.LedgerInvariants;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger at the edges of what it can represent, and when its own rules fail: every request is
 * still decided, nothing throws out of the function (which would put the job into a restart loop),
 * and the invariants hold.
 */
class LedgerLimitsTest {

    private static final long MAX = Long.MAX_VALUE;

    private LedgerHarness ledger;

    @AfterEach
    void tearDown() throws Exception {
        if (ledger != null) {
            LedgerInvariants.assertLedgerConsistent(ledger.entries());
            ledger.close();
        }
    }

    private void start() throws Exception {
        ledger = new LedgerHarness();
        ledger.open("alice", "EUR", 0);
        ledger.open("bob", "EUR", 0);
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

    @Test
    void aDepositPastTheLargestBalanceIsRefusedAndTheAccountKeepsWorking() throws Exception {
        start();
        assertThat(ledger.applyOne(deposit("alice", MAX)).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);

        TransactionResult refused = ledger.applyOne(deposit("alice", 1));

        assertThat(refused.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(refused.getReason()).isEqualTo(ReasonCode.BALANCE_LIMIT_EXCEEDED);
        assertThat(ledger.balance("alice")).isEqualTo(MAX);
        // Still usable: money can leave and come back.
        assertThat(ledger.applyOne(transfer("alice", "bob", 10)).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.applyOne(deposit("alice", 10)).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.balance("alice")).isEqualTo(MAX);
    }

    @Test
    void aCreditPastTheLargestBalanceGoesBackToThePayer() throws Exception {
        start();
        ledger.applyOne(deposit("bob", MAX));
        ledger.applyOne(deposit("alice", 100));

        TransactionResult refused = ledger.applyOne(transfer("alice", "bob", 1));

        assertThat(refused.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(refused.getReason()).isEqualTo(ReasonCode.BALANCE_LIMIT_EXCEEDED);
        assertThat(ledger.balance("alice")).isEqualTo(100);
        assertThat(ledger.balance("bob")).isEqualTo(MAX);
    }

    @Test
    void holdsCannotReserveMoreThanTheLargestAmount() throws Exception {
        start();
        ledger.open("carol", "EUR", MAX); // the largest overdraft on the largest balance
        ledger.applyOne(deposit("carol", MAX));
        MoneyMovement first = ledger.movement(HOLD, MAX).setSourceAccountId("carol").build();
        assertThat(ledger.applyOne(first).getStatus()).isEqualTo(TransactionStatus.HELD);

        TransactionResult refused =
                ledger.applyOne(ledger.movement(HOLD, 1).setSourceAccountId("carol").build());

        assertThat(refused.getReason()).isEqualTo(ReasonCode.BALANCE_LIMIT_EXCEEDED);
        assertThat(ledger.state("carol").getHeldMinor()).isEqualTo(MAX);
        // The overdraft still lets money leave: available + overdraft saturates, never wraps.
        assertThat(ledger.applyOne(transfer("carol", "bob", MAX)).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.state("carol").getBalanceMinor()).isZero();
    }

    @Test
    void systemAccountsStayExactBeyond64Bits() throws Exception {
        start();
        ledger.open("carol", "EUR", 0);
        // Three deposits of the largest amount: two share a system shard (the harness has two),
        // whose balance passes Long.MIN_VALUE.
        for (String account : List.of("alice", "bob", "carol")) {
            assertThat(ledger.applyOne(deposit(account, MAX)).getStatus())
                    .isEqualTo(TransactionStatus.COMPLETED);
        }

        assertThat(systemTotal())
                .isEqualTo(BigInteger.valueOf(MAX).multiply(BigInteger.valueOf(-3)));
        LedgerEntry wide =
                ledger.entries().stream()
                        .filter(e -> e.getWideBalanceAfter() != null)
                        .findFirst()
                        .orElseThrow();
        assertThat(wide.getBalanceAfterMinor()).isEqualTo(Long.MIN_VALUE);
        assertThat(wide.getWideBalanceAfter().toBigIntegerExact())
                .isEqualTo(BigInteger.valueOf(MAX).multiply(BigInteger.valueOf(-2)));
        assertThat(LedgerEntryHash.isValid(wide)).isTrue();
        AccountState system = ledger.state(wide.getAccountId());
        assertThat(system.getWideBalance()).isNotNull();
        assertThat(system.getBalanceMinor()).isEqualTo(Long.MIN_VALUE);

        // Back inside the range, the long is exact again and the wide figure is gone.
        for (String account : List.of("alice", "bob", "carol")) {
            MoneyMovement out =
                    ledger.movement(WITHDRAWAL, MAX).setSourceAccountId(account).build();
            assertThat(ledger.applyOne(out).getStatus()).isEqualTo(TransactionStatus.COMPLETED);
        }
        assertThat(systemTotal()).isZero();
        assertThat(ledger.state(wide.getAccountId()).getWideBalance()).isNull();
    }

    @Test
    void aReturnThatCannotFitThePayerIsHeldInSuspense() throws Exception {
        start();
        ledger.applyOne(deposit("alice", 100));
        // The debit leaves; its credit (to an account that does not exist) is still in flight
        // while alice's balance grows to the largest there is.
        ledger.holdInstructions();
        assertThat(ledger.apply(transfer("alice", "nobody", 100))).isEmpty();
        ledger.apply(deposit("alice", MAX));

        List<TransactionResult> later = ledger.releaseInstructions();

        TransactionResult refused =
                later.stream()
                        .filter(r -> r.getStatus() == TransactionStatus.REJECTED)
                        .findFirst()
                        .orElseThrow();
        assertThat(refused.getReason()).isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);
        assertThat(refused.getReasonDetail()).contains(LedgerFunction.suspenseAccountId("EUR"));
        assertThat(ledger.balance("alice")).isEqualTo(MAX);
        assertThat(ledger.balance(LedgerFunction.suspenseAccountId("EUR"))).isEqualTo(100);
    }

    @Test
    void aDecisionThatThrowsIsRefusedAppliesNothingAndTheLedgerGoesOn() throws Exception {
        // A rule that fails half-way, after the debit moved the balance: the hash of one entry.
        ledger =
                new LedgerHarness(
                        new LedgerFunction(
                                LedgerHarness.HOLD_EXPIRY,
                                Duration.ofDays(90),
                                Duration.ofDays(1),
                                2) {
                            @Override
                            String hash(LedgerEntry entry) {
                                if (entry.getTransactionId().equals("tx-broken")) {
                                    throw new IllegalStateException("a bug in a rule");
                                }
                                return super.hash(entry);
                            }
                        });
        ledger.open("alice", "EUR", 0);
        ledger.open("bob", "EUR", 0);
        ledger.applyOne(deposit("alice", 1_000));

        TransactionResult refused =
                ledger.applyOne(
                        MoneyMovement.newBuilder(transfer("alice", "bob", 400))
                                .setTransactionId("tx-broken")
                                .build());

        assertThat(refused.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(refused.getReason()).isEqualTo(ReasonCode.INTERNAL_ERROR);
        assertThat(ledger.entries()).noneMatch(e -> e.getTransactionId().equals("tx-broken"));
        DeadLetter dead = ledger.deadLetters().get(0);
        assertThat(dead.getReason()).isEqualTo("INTERNAL_ERROR");
        assertThat(dead.getDetail()).contains("a bug in a rule");
        assertThat(ledger.deadLetters()).hasSize(1);

        // Nothing of it was applied: the next transfer sees the whole balance, and the chain (in
        // tearDown) has no gap where the failed debit was.
        assertThat(ledger.applyOne(transfer("alice", "bob", 1_000)).getStatus())
                .isEqualTo(TransactionStatus.COMPLETED);
        assertThat(ledger.balance("alice")).isZero();
        assertThat(ledger.balance("bob")).isEqualTo(1_000);
    }

    @Test
    void requestsNamingASystemAccountAreRefusedByTheirShape() {
        MoneyMovement m =
                MoneyMovement.newBuilder()
                        .setTransactionId("t")
                        .setPartnerId(LedgerFunction.SYSTEM_PARTNER)
                        .setType(TRANSFER)
                        .setSourceAccountId(LedgerFunction.systemAccountId("EUR", "x", 8))
                        .setDestinationAccountId("mine")
                        .setAmountMinor(MAX)
                        .setCurrency("EUR")
                        .setEventTime(java.time.Instant.EPOCH)
                        .setReceivedTime(java.time.Instant.EPOCH)
                        .build();
        assertThat(MovementShape.check(m).reason()).isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);
        ledger = null;
    }

    /** The exact sum of the system accounts' balances, from their last entries. */
    private BigInteger systemTotal() {
        Map<String, LedgerEntry> last =
                ledger.entries().stream()
                        .filter(
                                e ->
                                        e.getAccountId()
                                                .startsWith(LedgerFunction.SYSTEM_ACCOUNT_PREFIX))
                        .collect(
                                Collectors.toMap(
                                        LedgerEntry::getAccountId,
                                        e -> e,
                                        (a, b) -> a.getSequence() > b.getSequence() ? a : b));
        return last.values().stream()
                .map(
                        e ->
                                e.getWideBalanceAfter() != null
                                        ? e.getWideBalanceAfter().toBigIntegerExact()
                                        : BigInteger.valueOf(e.getBalanceAfterMinor()))
                .reduce(BigInteger.ZERO, BigInteger::add);
    }
}
