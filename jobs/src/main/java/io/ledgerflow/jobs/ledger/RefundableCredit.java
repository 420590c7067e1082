package io.ledgerflow.jobs.ledger;

/**
 * A completed credit (from a TRANSFER or CAPTURE) on the account that keys the state, kept so a
 * REFUND can return at most what was received, to whoever paid it.
 */
public class RefundableCredit {
    public String partnerId;
    public String payerAccountId;
    public String currency;
    public long amount;

    /** Refunded so far, including refunds whose credit is still in flight. */
    public long refunded;

    public RefundableCredit() {}

    RefundableCredit copy() {
        RefundableCredit c = new RefundableCredit();
        c.partnerId = partnerId;
        c.payerAccountId = payerAccountId;
        c.currency = currency;
        c.amount = amount;
        c.refunded = refunded;
        return c;
    }

    long remaining() {
        return amount - refunded;
    }
}
