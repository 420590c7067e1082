package io.ledgerflow.readmodel;

import java.time.Instant;

/** An account's latest state in the read model; amounts in minor units of {@code currency}. */
public record AccountView(
        String partnerId,
        String accountId,
        String currency,
        String accountType,
        String status,
        long balanceMinor,
        long heldMinor,
        long availableMinor,
        long overdraftLimitMinor,
        long lastSequence,
        long version,
        Instant updatedTime) {}
