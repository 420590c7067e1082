package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.TransactionStatus;

/** A hold on the account that keys the state: funds reserved until captured, voided or expired. */
public class HoldRecord {
    public String partnerId;
    public long amount;
    public String currency;

    /** Payee named by the HOLD; a CAPTURE may name one instead. */
    public String destinationAccountId;

    public long expiresAtMillis;
    public long eventTimeMillis;
    public long receivedTimeMillis;

    /** HELD while open; CAPTURING while a capture's credit is in flight; then terminal. */
    public TransactionStatus status;

    /** Set while CAPTURING: the capture transaction in flight. */
    public String captureTransactionId;

    public HoldRecord() {}

    HoldRecord copy() {
        HoldRecord c = new HoldRecord();
        c.partnerId = partnerId;
        c.amount = amount;
        c.currency = currency;
        c.destinationAccountId = destinationAccountId;
        c.expiresAtMillis = expiresAtMillis;
        c.eventTimeMillis = eventTimeMillis;
        c.receivedTimeMillis = receivedTimeMillis;
        c.status = status;
        c.captureTransactionId = captureTransactionId;
        return c;
    }

    boolean isOpen() {
        return status == TransactionStatus.HELD;
    }
}
