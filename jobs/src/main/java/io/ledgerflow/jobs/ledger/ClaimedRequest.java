package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.LedgerRequest;

/**
 * A request on its way through admission: the request with its gate key and fingerprint and, once
 * the gate has answered, the verdict. In an account's admission queue an entry without a request is
 * an answer that arrived before its request. A POJO for Flink.
 */
public class ClaimedRequest {

    public String account;
    public String gateKey;
    public long fingerprint;

    /** Null for an answer that came first. */
    public LedgerRequest request;

    /** Null until the gate answered. */
    public GateVerdict verdict;

    public ClaimedRequest() {}

    public ClaimedRequest(String account, String gateKey, long fingerprint, LedgerRequest request) {
        this.account = account;
        this.gateKey = gateKey;
        this.fingerprint = fingerprint;
        this.request = request;
    }

    /**
     * A request that needs no answer from the gate (tests of what comes after admission): it is
     * released as soon as it arrives.
     */
    public static ClaimedRequest admitted(LedgerRequest request) {
        ClaimedRequest entry =
                new ClaimedRequest(
                        LedgerRouting.accountOf(request),
                        RequestIdentity.keyOf(request),
                        0,
                        request);
        entry.verdict = GateVerdict.ADMITTED;
        return entry;
    }

    static ClaimedRequest earlyAnswer(GateAnswer answer) {
        ClaimedRequest entry =
                new ClaimedRequest(answer.account, answer.gateKey, answer.fingerprint, null);
        entry.verdict = answer.verdict;
        return entry;
    }

    boolean matches(String otherGateKey, long otherFingerprint) {
        return fingerprint == otherFingerprint && gateKey.equals(otherGateKey);
    }

    public String getAccount() {
        return account;
    }
}
