package io.ledgerflow.ingest.validation;

import io.ledgerflow.avro.AccountType;

/** A validated request to open an account. */
public record AccountOpening(
        String accountId, String currency, AccountType type, long overdraftLimitMinor) {

    /** Same-payload test for a repeated open of the same account id. */
    public boolean samePayload(AccountOpening other) {
        return equals(other);
    }
}
