package io.ledgerflow.readmodel.settlement;

/**
 * A partner's settlement account in one currency: the partner's account of type {@code SETTLEMENT}
 * in that currency that is not closed (the smallest id when a partner has several). What reaches it
 * is what the platform owes the partner; a batch settles its postings.
 */
public record SettlementAccount(String partnerId, String currency, String accountId) {}
