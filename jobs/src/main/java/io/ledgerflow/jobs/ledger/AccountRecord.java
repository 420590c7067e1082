package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.schemas.LedgerEntryHash;

/**
 * An account as the ledger keeps it in keyed state (a Flink POJO: public fields, no-arg
 * constructor, so RocksDB stores it compactly and schema evolution of state works).
 */
public class AccountRecord {
    public String partnerId;
    public String currency;
    public AccountType type;
    public AccountStatus status;

    /** Posted balance in minor units. */
    public long balance;

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

    long available() {
        return balance - held;
    }

    /** True if {@code amount} more can leave the account without passing its overdraft limit. */
    boolean canDebit(long amount) {
        if (type == AccountType.SYSTEM) {
            return true; // the outside world: its balance is whatever left or entered the ledger
        }
        // available - amount >= -overdraftLimit, written so it cannot overflow
        return amount <= available() + overdraftLimit;
    }
}
