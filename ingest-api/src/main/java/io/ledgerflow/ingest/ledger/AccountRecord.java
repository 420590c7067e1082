package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.AccountType;
import java.time.Instant;

/**
 * An account as a view knows it.
 *
 * @param requestedStatus the status the last accepted command asks for (OPEN, FROZEN, CLOSED); the
 *     ledger may still refuse it (e.g. CLOSE with a non-zero balance)
 * @param updatedAt when the last command was accepted
 */
public record AccountRecord(
        String accountId,
        String partnerId,
        String currency,
        AccountType type,
        long overdraftLimitMinor,
        String requestedStatus,
        String lastCommandId,
        Instant updatedAt) {}
