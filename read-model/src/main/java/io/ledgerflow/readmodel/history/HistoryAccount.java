package io.ledgerflow.readmodel.history;

/**
 * Who owns an account and in which currency its amounts are: what the history routes need to decide
 * whether a caller may see the account (another partner's answers like an unknown one) and to
 * format its amounts.
 */
public record HistoryAccount(String accountId, String partnerId, String currency) {}
