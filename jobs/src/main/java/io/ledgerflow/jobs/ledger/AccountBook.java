package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.TransactionResult;
import java.util.Map;

/**
 * One account's world as {@link LedgerRules} see it while they decide: what is stored at the
 * account (its holds and refundable credits), the clock, and where the decision's effects go. The
 * rules never touch Flink; {@link LedgerFunction} implements this over keyed state and stages every
 * write until the decision completes ({@link StagedDecision}); a test can implement it over maps.
 *
 * <p>Reads may throw: state back-ends can fail, and such failures are not the decision's own.
 */
interface AccountBook {

    /** The keyed account's id. */
    String accountId();

    /** Processing time of the decision, epoch milliseconds. */
    long now();

    /** Replaces the account (the rules bump its version first). */
    void saveAccount(AccountRecord account);

    /** A hold on this account by its transaction id, as the decision sees it (a copy), or null. */
    HoldRecord hold(String id) throws Exception;

    void putHold(String id, HoldRecord hold);

    /** Every hold as stored before this decision (for expiry). */
    Iterable<Map.Entry<String, HoldRecord>> storedHolds() throws Exception;

    /** A refundable credit on this account by the credited transaction's id (a copy), or null. */
    RefundableCredit refundable(String id) throws Exception;

    void putRefundable(String id, RefundableCredit credit);

    /** Asks to be woken at {@code time} (hold expiry). */
    void registerTimer(long time);

    /** Drops the wake-up at {@code time} unless something else at this account still needs it. */
    void dropTimerIfUnused(long time) throws Exception;

    /** The hash an entry carries (its content and the previous hash, see LedgerEntryHash). */
    String hash(LedgerEntry entry);

    void result(TransactionResult result);

    void entry(LedgerEntry entry);

    void accountState(AccountState state);

    void commandResult(AccountCommandResult result);

    void instruction(LedgerInstruction instruction);
}
