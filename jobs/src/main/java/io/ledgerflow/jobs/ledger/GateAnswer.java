package io.ledgerflow.jobs.ledger;

import io.ledgerflow.jobs.fraud.AccountActivity;

/**
 * What the idempotency gate sends to an account's admission: its verdict on one of the account's
 * requests (identified by gate key and fingerprint), or, with {@code inflow} set, money an admitted
 * transfer brings to this account. A POJO for Flink.
 */
public class GateAnswer {

    public String account;
    public String gateKey;
    public long fingerprint;
    public GateVerdict verdict;
    public AccountActivity inflow;

    public GateAnswer() {}

    static GateAnswer verdict(IdClaim claim, GateVerdict verdict) {
        GateAnswer answer = new GateAnswer();
        answer.account = claim.account;
        answer.gateKey = claim.gateKey;
        answer.fingerprint = claim.fingerprint;
        answer.verdict = verdict;
        return answer;
    }

    static GateAnswer inflow(IdClaim claim) {
        return inflow(claim.inflowAccount, claim.inflow);
    }

    /** Money arriving at {@code account}. */
    public static GateAnswer inflow(String account, AccountActivity inflow) {
        GateAnswer answer = new GateAnswer();
        answer.account = account;
        answer.inflow = inflow;
        return answer;
    }

    public String getAccount() {
        return account;
    }
}
