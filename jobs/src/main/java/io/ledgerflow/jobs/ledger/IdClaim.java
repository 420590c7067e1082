package io.ledgerflow.jobs.ledger;

import io.ledgerflow.jobs.fraud.AccountActivity;

/**
 * What the idempotency gate needs of a request, and no more: its id, its fingerprint, the account
 * waiting for the answer and, for a well-formed transfer, the money it brings to its destination
 * (announced to the destination's fraud screen once the id is admitted). A POJO for Flink.
 */
public class IdClaim {

    /** {@link RequestIdentity#keyOf}: partner and id. */
    public String gateKey;

    public long fingerprint;

    /** Where the request waits for the answer: {@link LedgerRouting#accountOf}. */
    public String account;

    /** A transfer's destination, or null. */
    public String inflowAccount;

    /** A transfer's money at its destination, or null. */
    public AccountActivity inflow;

    public IdClaim() {}

    IdClaim(
            String gateKey,
            long fingerprint,
            String account,
            String inflowAccount,
            AccountActivity inflow) {
        this.gateKey = gateKey;
        this.fingerprint = fingerprint;
        this.account = account;
        this.inflowAccount = inflowAccount;
        this.inflow = inflow;
    }

    public String getGateKey() {
        return gateKey;
    }
}
