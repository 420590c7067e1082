package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ledger's rules on their own, without Flink: an account in memory, one decision at a time. The
 * refusal order here is the one DISCUSSION.md documents ("Result codes, in order of precedence").
 */
class LedgerRulesTest {

    private static final String PARTNER = "p1";

    private final LedgerRules rules = new LedgerRules(Duration.ofMinutes(30), 4);
    private final MapBook book = new MapBook("alice");

    private static AccountRecord account(long balance, AccountStatus status) {
        AccountRecord a = new AccountRecord();
        a.partnerId = PARTNER;
        a.currency = "EUR";
        a.type = AccountType.CUSTOMER;
        a.status = status;
        a.balance = balance;
        return a;
    }

    private static MoneyMovement.Builder movement(MovementType type, long amount) {
        return MoneyMovement.newBuilder()
                .setTransactionId("tx-" + type + "-" + amount)
                .setPartnerId(PARTNER)
                .setType(type)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setEventTime(Instant.ofEpochMilli(10))
                .setReceivedTime(Instant.ofEpochMilli(11));
    }

    private TransactionResult decide(AccountRecord current, MoneyMovement m) throws Exception {
        rules.apply(new LedgerRequest(m), current, book);
        assertThat(book.results).hasSize(1);
        return book.results.get(0);
    }

    @Test
    void aFrozenAccountIsReportedBeforeItsCurrencyAndItsFunds() throws Exception {
        MoneyMovement transfer =
                movement(MovementType.TRANSFER, 1_000)
                        .setCurrency("USD")
                        .setSourceAccountId("alice")
                        .setDestinationAccountId("bob")
                        .build();

        TransactionResult r = decide(account(10, AccountStatus.FROZEN), transfer);

        assertThat(r.getReason()).isEqualTo(ReasonCode.ACCOUNT_FROZEN);
        assertThat(book.entries).isEmpty();
        assertThat(book.saved).isNull();
    }

    @Test
    void anExpiredHoldIsReportedBeforeACaptureThatExceedsIt() throws Exception {
        HoldRecord hold = new HoldRecord();
        hold.partnerId = PARTNER;
        hold.amount = 100;
        hold.currency = "EUR";
        hold.status = TransactionStatus.EXPIRED;
        book.holds.put("h1", hold);
        MoneyMovement capture =
                movement(MovementType.CAPTURE, 500)
                        .setSourceAccountId("alice")
                        .setDestinationAccountId("bob")
                        .setRelatedTransactionId("h1")
                        .build();

        assertThat(decide(account(1_000, AccountStatus.OPEN), capture).getReason())
                .isEqualTo(ReasonCode.HOLD_EXPIRED);
    }

    @Test
    void aRefundToSomeoneElseIsReportedBeforeOneThatExceedsTheOriginal() throws Exception {
        RefundableCredit credit = new RefundableCredit();
        credit.partnerId = PARTNER;
        credit.payerAccountId = "bob";
        credit.currency = "EUR";
        credit.amount = 100;
        book.refundables.put("t1", credit);
        MoneyMovement refund =
                movement(MovementType.REFUND, 500)
                        .setSourceAccountId("alice")
                        .setDestinationAccountId("mallory")
                        .setRelatedTransactionId("t1")
                        .build();

        assertThat(decide(account(1_000, AccountStatus.OPEN), refund).getReason())
                .isEqualTo(ReasonCode.INVALID_STATE);
    }

    @Test
    void aDepositPostsChainedAndSendsTheSystemLeg() throws Exception {
        MoneyMovement deposit =
                movement(MovementType.DEPOSIT, 250).setDestinationAccountId("alice").build();

        TransactionResult r = decide(account(50, AccountStatus.OPEN), deposit);

        assertThat(r.getStatus()).isEqualTo(TransactionStatus.COMPLETED);
        LedgerEntry entry = book.entries.get(0);
        assertThat(entry.getBalanceAfterMinor()).isEqualTo(300);
        assertThat(entry.getSequence()).isEqualTo(1);
        assertThat(LedgerEntryHash.isValid(entry)).isTrue();
        assertThat(book.saved.balance).isEqualTo(300);
        assertThat(book.states.get(0).getVersion()).isEqualTo(1);
        LedgerInstruction systemLeg = book.instructions.get(0);
        assertThat(systemLeg.getKind()).isEqualTo(InstructionKind.SYSTEM_POSTING);
        assertThat(systemLeg.getAccountId()).startsWith(LedgerFunction.SYSTEM_ACCOUNT_PREFIX);
    }

    // ------------------------------------------------------------ overdraft limit changes

    private final LedgerRules bounded =
            new LedgerRules(Duration.ofMinutes(30), Duration.ofHours(2), 100_000, 4);

    private AccountCommandResult setLimit(AccountRecord current, long limit, String currency)
            throws Exception {
        AccountCommand command =
                AccountCommand.newBuilder()
                        .setCommandId("cmd-limit-" + limit)
                        .setPartnerId(PARTNER)
                        .setAccountId(book.accountId())
                        .setType(AccountCommandType.SET_OVERDRAFT_LIMIT)
                        .setCurrency(currency)
                        .setOverdraftLimitMinor(limit)
                        .setEventTime(Instant.ofEpochMilli(10))
                        .setReceivedTime(Instant.ofEpochMilli(11))
                        .build();
        bounded.apply(new LedgerRequest(command), current, book);
        assertThat(book.commandResults).hasSize(1);
        return book.commandResults.get(0);
    }

    @Test
    void aNewOverdraftLimitReplacesTheOldAndIsPublishedWithTheAccount() throws Exception {
        AccountRecord alice = account(-300, AccountStatus.OPEN);
        alice.overdraftLimit = 500;

        AccountCommandResult r = setLimit(alice, 2_000, "EUR");

        assertThat(r.getAccepted()).isTrue();
        assertThat(r.getType()).isEqualTo(AccountCommandType.SET_OVERDRAFT_LIMIT);
        assertThat(book.saved.overdraftLimit).isEqualTo(2_000);
        assertThat(book.states).singleElement();
        assertThat(book.states.get(0).getOverdraftLimitMinor()).isEqualTo(2_000);
        assertThat(book.states.get(0).getCauseId()).isEqualTo("cmd-limit-2000");
        assertThat(book.entries).isEmpty();
    }

    @Test
    void aLimitBelowWhatTheAccountUsesIsRefusedHoldsCounted() throws Exception {
        AccountRecord alice = account(-300, AccountStatus.OPEN);
        alice.overdraftLimit = 1_000;
        alice.held = 200; // available -500

        AccountCommandResult tooLow = setLimit(alice, 499, "EUR");

        assertThat(tooLow.getAccepted()).isFalse();
        assertThat(tooLow.getReason()).isEqualTo(ReasonCode.OVERDRAFT_IN_USE);
        assertThat(book.saved).isNull();
        assertThat(book.states).isEmpty();
    }

    @Test
    void aLimitExactlyAtWhatTheAccountUsesIsAccepted() throws Exception {
        AccountRecord alice = account(-300, AccountStatus.FROZEN); // frozen may change its limit
        alice.overdraftLimit = 1_000;
        alice.held = 200;

        assertThat(setLimit(alice, 500, null).getAccepted()).isTrue();
        assertThat(book.saved.overdraftLimit).isEqualTo(500);
        assertThat(book.saved.status).isEqualTo(AccountStatus.FROZEN);
    }

    @Test
    void overdraftLimitRefusalsInOrderOfPrecedence() throws Exception {
        AccountRecord closed = account(0, AccountStatus.CLOSED);
        assertThat(setLimit(closed, -1, "USD").getReason()).isEqualTo(ReasonCode.ACCOUNT_CLOSED);

        book.commandResults.clear();
        AccountRecord otherPartners = account(0, AccountStatus.OPEN);
        otherPartners.partnerId = "p2";
        assertThat(setLimit(otherPartners, 10, "EUR").getReason())
                .isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);

        book.commandResults.clear();
        assertThat(setLimit(null, 10, "EUR").getReason()).isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);

        book.commandResults.clear();
        assertThat(setLimit(account(0, AccountStatus.OPEN), -1, "USD").getReason())
                .isEqualTo(ReasonCode.CURRENCY_MISMATCH);

        book.commandResults.clear();
        assertThat(setLimit(account(0, AccountStatus.OPEN), -1, "EUR").getReason())
                .isEqualTo(ReasonCode.INVALID_AMOUNT);

        book.commandResults.clear();
        AccountCommandResult aboveMax =
                setLimit(account(-5_000, AccountStatus.OPEN), 100_001, "EUR");
        assertThat(aboveMax.getReason()).isEqualTo(ReasonCode.INVALID_AMOUNT);
        assertThat(aboveMax.getReasonDetail()).contains("maximum 100000");
        assertThat(book.saved).isNull();
    }

    @Test
    void aSystemAccountsLimitCannotBeChanged() throws Exception {
        AccountRecord system = account(-1_000_000, AccountStatus.OPEN);
        system.type = AccountType.SYSTEM;
        system.partnerId = PARTNER; // even when a producer claims the system's partner

        assertThat(setLimit(system, 0, "EUR").getReason()).isEqualTo(ReasonCode.ACCOUNT_NOT_FOUND);
        assertThat(book.saved).isNull();
    }

    @Test
    void anOpenAboveTheMaximumOverdraftLimitIsRefused() throws Exception {
        AccountCommand open =
                AccountCommand.newBuilder()
                        .setCommandId("cmd-open")
                        .setPartnerId(PARTNER)
                        .setAccountId("alice")
                        .setType(AccountCommandType.OPEN)
                        .setCurrency("EUR")
                        .setOverdraftLimitMinor(100_001)
                        .setEventTime(Instant.ofEpochMilli(10))
                        .setReceivedTime(Instant.ofEpochMilli(11))
                        .build();

        bounded.apply(new LedgerRequest(open), null, book);

        assertThat(book.commandResults.get(0).getReason()).isEqualTo(ReasonCode.INVALID_AMOUNT);
    }

    // ------------------------------------------------------------ a hold's own expiry

    private TransactionResult hold(Long expiresInMillis) throws Exception {
        MoneyMovement hold =
                movement(MovementType.HOLD, 100)
                        .setSourceAccountId("alice")
                        .setHoldExpiresInMillis(expiresInMillis)
                        .build();
        bounded.apply(new LedgerRequest(hold), account(1_000, AccountStatus.OPEN), book);
        return book.results.get(book.results.size() - 1);
    }

    @Test
    void aHoldExpiresAtItsOwnTimeOrTheDefault() throws Exception {
        assertThat(hold(60_000L).getStatus()).isEqualTo(TransactionStatus.HELD);
        assertThat(book.holds.get("tx-HOLD-100").expiresAtMillis).isEqualTo(1_000_000L + 60_000);
        assertThat(book.timers).containsExactly(1_060_000L);

        book.holds.clear();
        book.timers.clear();
        assertThat(hold(null).getStatus()).isEqualTo(TransactionStatus.HELD);
        assertThat(book.holds.get("tx-HOLD-100").expiresAtMillis)
                .isEqualTo(1_000_000L + Duration.ofMinutes(30).toMillis());
    }

    @Test
    void aHoldAskingForMoreThanTheMaximumOrNothingIsRefusedBeforeItsFunds() throws Exception {
        for (long bad : new long[] {Duration.ofHours(2).toMillis() + 1, 0, -5}) {
            MoneyMovement hold =
                    movement(MovementType.HOLD, 1_000_000)
                            .setSourceAccountId("alice")
                            .setHoldExpiresInMillis(bad)
                            .build();
            book.results.clear();

            bounded.apply(new LedgerRequest(hold), account(0, AccountStatus.OPEN), book);
            TransactionResult r = book.results.get(0);

            assertThat(r.getStatus()).isEqualTo(TransactionStatus.REJECTED);
            assertThat(r.getReason()).as("expiry %d", bad).isEqualTo(ReasonCode.OTHER);
            assertThat(r.getReasonDetail()).containsIgnoringCase("expir");
        }
        assertThat(hold(Duration.ofHours(2).toMillis()).getStatus())
                .isEqualTo(TransactionStatus.HELD);
    }

    @Test
    void holdsExpireEachAtTheirOwnTime() throws Exception {
        AccountRecord alice = account(1_000, AccountStatus.OPEN);
        HoldRecord soon = openHold(100, 1_010_000L);
        HoldRecord later = openHold(200, 2_000_000L);
        book.holds.put("soon", soon);
        book.holds.put("later", later);
        alice.held = 300;

        rules.expireHolds(1_010_000L, alice, book);

        assertThat(book.results).singleElement();
        assertThat(book.results.get(0).getTransactionId()).isEqualTo("soon");
        assertThat(book.results.get(0).getStatus()).isEqualTo(TransactionStatus.EXPIRED);
        assertThat(book.holds.get("later").status).isEqualTo(TransactionStatus.HELD);
        assertThat(book.saved.held).isEqualTo(200);
    }

    private static HoldRecord openHold(long amount, long expiresAt) {
        HoldRecord h = new HoldRecord();
        h.partnerId = PARTNER;
        h.amount = amount;
        h.currency = "EUR";
        h.expiresAtMillis = expiresAt;
        h.status = TransactionStatus.HELD;
        return h;
    }

    /** An account's world in maps and lists. */
    private static final class MapBook implements AccountBook {
        private final String accountId;
        final Map<String, HoldRecord> holds = new HashMap<>();
        final Map<String, RefundableCredit> refundables = new HashMap<>();
        final List<TransactionResult> results = new ArrayList<>();
        final List<LedgerEntry> entries = new ArrayList<>();
        final List<AccountState> states = new ArrayList<>();
        final List<AccountCommandResult> commandResults = new ArrayList<>();
        final List<LedgerInstruction> instructions = new ArrayList<>();
        final List<Long> timers = new ArrayList<>();
        AccountRecord saved;

        MapBook(String accountId) {
            this.accountId = accountId;
        }

        @Override
        public String accountId() {
            return accountId;
        }

        @Override
        public long now() {
            return 1_000_000L;
        }

        @Override
        public void saveAccount(AccountRecord account) {
            saved = account;
        }

        @Override
        public HoldRecord hold(String id) {
            HoldRecord h = holds.get(id);
            return h == null ? null : h.copy();
        }

        @Override
        public void putHold(String id, HoldRecord hold) {
            holds.put(id, hold);
        }

        @Override
        public Iterable<Map.Entry<String, HoldRecord>> storedHolds() {
            return holds.entrySet();
        }

        @Override
        public RefundableCredit refundable(String id) {
            RefundableCredit r = refundables.get(id);
            return r == null ? null : r.copy();
        }

        @Override
        public void putRefundable(String id, RefundableCredit credit) {
            refundables.put(id, credit);
        }

        @Override
        public void registerTimer(long time) {
            timers.add(time);
        }

        @Override
        public void dropTimerIfUnused(long time) {
            timers.remove(time);
        }

        @Override
        public String hash(LedgerEntry entry) {
            return LedgerEntryHash.of(entry);
        }

        @Override
        public void result(TransactionResult result) {
            results.add(result);
        }

        @Override
        public void entry(LedgerEntry entry) {
            entries.add(entry);
        }

        @Override
        public void accountState(AccountState state) {
            states.add(state);
        }

        @Override
        public void commandResult(AccountCommandResult result) {
            commandResults.add(result);
        }

        @Override
        public void instruction(LedgerInstruction instruction) {
            instructions.add(instruction);
        }
    }
}
