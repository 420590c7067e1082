package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.schemas.LedgerEntryHash;
import io.ledgerflow.schemas.money.MinorUnitMath;
import java.math.BigInteger;

/**
 * An account as the ledger keeps it in keyed state (a Flink POJO: public fields, no-arg
 * constructor, so RocksDB stores it compactly and schema evolution of state works).
 */
public class AccountRecord {
    public String partnerId;
    public String currency;
    public AccountType type;
    public AccountStatus status;

    /**
     * Posted balance in minor units. A customer account's balance always fits: a credit that would
     * pass {@link Long#MAX_VALUE} is refused ({@link #canCredit}). A system account's balance is
     * the negated sum of everything that entered the ledger through it and can pass any bound; then
     * this holds {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE} and {@link #wideBalance} the
     * exact figure.
     */
    public long balance;

    /**
     * The exact balance while it lies outside the 64-bit range (system accounts only), else null.
     */
    public BigInteger wideBalance;

    /** Funds reserved by open holds. */
    public long held;

    /** How far below zero {@code balance - held} may go. */
    public long overdraftLimit;

    /** Sequence of the last ledger entry; 0 before the first. */
    public long lastSequence;

    public String lastHash = LedgerEntryHash.GENESIS;

    /** Grows by one with every change, so read models can ignore stale updates. */
    public long version;

    public AccountRecord() {}

    /** A copy to decide on, so a decision that fails half-way leaves the state as it was. */
    AccountRecord copy() {
        AccountRecord c = new AccountRecord();
        c.partnerId = partnerId;
        c.currency = currency;
        c.type = type;
        c.status = status;
        c.balance = balance;
        c.wideBalance = wideBalance;
        c.held = held;
        c.overdraftLimit = overdraftLimit;
        c.lastSequence = lastSequence;
        c.lastHash = lastHash;
        c.version = version;
        return c;
    }

    /** {@code balance - held}; cannot leave the range while the account keeps its invariants. */
    long available() {
        return MinorUnitMath.saturatedSubtract(balance, held);
    }

    boolean isSystem() {
        return type == AccountType.SYSTEM;
    }

    /** True if {@code amount} more can leave the account without passing its overdraft limit. */
    boolean canDebit(long amount) {
        if (isSystem()) {
            return true; // the outside world: its balance is whatever left or entered the ledger
        }
        // available - amount >= -overdraftLimit, saturated: an overdraft near Long.MAX_VALUE on a
        // large balance must not wrap into a refusal
        return amount <= MinorUnitMath.saturatedAdd(available(), overdraftLimit);
    }

    /** True if {@code amount} more can enter the account; only system accounts are unbounded. */
    boolean canCredit(long amount) {
        return isSystem() || MinorUnitMath.fitsSum(balance, amount);
    }

    /**
     * True if the account, as it is, stays within an overdraft limit of {@code limit}: {@code
     * balance - held >= -limit} (the funds check's view; holds count).
     */
    boolean allowsOverdraftLimit(long limit) {
        return isSystem() || available() >= -limit;
    }

    /** True if {@code amount} more can be held (the sum of open holds stays within 64 bits). */
    boolean canHold(long amount) {
        return MinorUnitMath.fitsSum(held, amount);
    }

    /**
     * Moves the balance by {@code delta} (negative for a debit). Callers check {@link #canCredit}
     * and {@link #canDebit} first; the exact arithmetic here is the last line of defence: a rule
     * that forgot a check fails its decision (refused as an internal error, nothing applied)
     * instead of wrapping around.
     */
    void move(long delta) {
        if (!isSystem()) {
            balance = Math.addExact(balance, delta);
            return;
        }
        if (wideBalance == null && MinorUnitMath.fitsSum(balance, delta)) {
            balance += delta;
            return;
        }
        BigInteger exact =
                (wideBalance == null ? BigInteger.valueOf(balance) : wideBalance)
                        .add(BigInteger.valueOf(delta));
        if (exact.bitLength() < 64) {
            balance = exact.longValueExact();
            wideBalance = null;
        } else {
            wideBalance = exact;
            balance = exact.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
