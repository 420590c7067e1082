package io.ledgerflow.ingest.validation;

/**
 * A validated request to set an account's overdraft limit: the new limit in minor units of {@code
 * currency}, which must be the account's (the ledger refuses another with {@code
 * CURRENCY_MISMATCH}).
 */
public record OverdraftLimitChange(String currency, long overdraftLimitMinor) {}
