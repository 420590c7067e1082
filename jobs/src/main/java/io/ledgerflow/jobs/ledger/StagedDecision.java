package io.ledgerflow.jobs.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.OutputTag;

/**
 * Everything deciding one request (or one ledger instruction) changes, held back until the decision
 * completes: the account, holds and refundable credits it writes, the timers it sets or deletes,
 * and the records it emits.
 *
 * <p>Flink keyed state is written through at once, so a rule that threw half-way (a bug) would
 * otherwise leave a debit posted without its result, or a hold without its timer. Staging makes a
 * decision all or nothing: {@link LedgerFunction} applies it in one go when the rules return, and
 * drops it when they throw, then refuses the request as {@code INTERNAL_ERROR}. Reads go through
 * the staged values first, and everything read from state is copied before it is changed (the heap
 * state backend hands out its live objects).
 */
final class StagedDecision {

    /** The keyed account as the decision sees it (a copy), or null if it does not exist. */
    AccountRecord account;

    /** True once the decision wrote the account. */
    boolean accountChanged;

    /** Holds and refundable credits written by the decision, by transaction id (copies). */
    final Map<String, HoldRecord> holds = new HashMap<>();

    final Map<String, RefundableCredit> refundables = new HashMap<>();

    /** Timer changes in order: a positive entry registers, a negative one deletes, at |time|. */
    final List<TimerChange> timers = new ArrayList<>(2);

    /** Records in emission order; a null tag is the main output (results). */
    final List<Emitted> emitted = new ArrayList<>(4);

    StagedDecision(AccountRecord account) {
        this.account = account;
    }

    void saveAccount(AccountRecord changed) {
        account = changed;
        accountChanged = true;
    }

    void emit(OutputTag<?> tag, Object record) {
        emitted.add(new Emitted(tag, record));
    }

    /** A processing-time timer registered or deleted by the decision. */
    record TimerChange(long time, boolean register) {}

    /** A record the decision emits; {@code tag} null for the main output. */
    record Emitted(OutputTag<?> tag, Object record) {}
}
