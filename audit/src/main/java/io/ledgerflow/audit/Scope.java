package io.ledgerflow.audit;

/**
 * Whose chains to verify: one account's, or every account of one partner.
 *
 * @param isAccount true for an account id, false for a partner id
 * @param id the account or partner id
 */
public record Scope(boolean isAccount, String id) {

    public static Scope account(String accountId) {
        return new Scope(true, accountId);
    }

    public static Scope partner(String partnerId) {
        return new Scope(false, partnerId);
    }

    /** True if {@code accountId}, owned by {@code partnerId}, is in scope. */
    public boolean includes(String accountId, String partnerId) {
        return isAccount ? id.equals(accountId) : id.equals(partnerId);
    }

    @Override
    public String toString() {
        return (isAccount ? "account " : "partner ") + id;
    }
}
