package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.AccountType;
import java.time.Instant;

/**
 * An account as a view knows it.
 *
 * @param requestedStatus the status the last accepted command asks for (OPEN, FROZEN, CLOSED); the
 *     ledger may still refuse it (e.g. CLOSE with a non-zero balance)
 * @param lastCommandId the last command this API instance accepted; null when it knows none
 * @param updatedAt when the last command was accepted, or the ledger's last change
 * @param ledger the ledger's own view of the account (from the read model); null until the read
 *     model has it
 */
public record AccountRecord(
        String accountId,
        String partnerId,
        String currency,
        AccountType type,
        long overdraftLimitMinor,
        String requestedStatus,
        String lastCommandId,
        Instant updatedAt,
        LedgerState ledger) {

    /**
     * What the ledger decided for the account, as of {@code version} (the ledger's change count).
     * {@code status} is the ledger's (OPEN, FROZEN, CLOSED), which may lag or differ from the
     * requested one.
     */
    public record LedgerState(
            String status,
            long balanceMinor,
            long heldMinor,
            long availableMinor,
            long version,
            Instant updatedAt) {}

    /** The same account with the ledger's view attached. */
    public AccountRecord withLedger(LedgerState state) {
        return new AccountRecord(
                accountId,
                partnerId,
                currency,
                type,
                overdraftLimitMinor,
                requestedStatus,
                lastCommandId,
                updatedAt,
                state);
    }
}
