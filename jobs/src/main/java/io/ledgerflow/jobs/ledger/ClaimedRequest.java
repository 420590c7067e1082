package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;

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

    /**
     * The shape check ({@link MovementShape}) passed: checked once where the request is read, so
     * admission refuses only what failed it.
     */
    public boolean wellFormed;

    public ClaimedRequest() {}

    public ClaimedRequest(String account, String gateKey, long fingerprint, LedgerRequest request) {
        this.account = account;
        this.gateKey = gateKey;
        this.fingerprint = fingerprint;
        this.request = request;
    }

    /**
     * A request as read, before the gate has answered, keyed by the account it acts on first. A
     * movement that names no such account (a transfer without its source, a deposit without its
     * destination) fails the shape check; until admission refuses it, it needs a key of its own
     * that no account can have, so that it stops nothing on its way.
     */
    public static ClaimedRequest of(LedgerRequest request, long fingerprint) {
        String gateKey = RequestIdentity.keyOf(request);
        String account = LedgerRouting.accountOf(request);
        ClaimedRequest claimed =
                new ClaimedRequest(
                        account != null ? account : NO_ACCOUNT_KEY_PREFIX + gateKey,
                        gateKey,
                        fingerprint,
                        request);
        claimed.wellFormed =
                !(request.getRequest() instanceof MoneyMovement m)
                        || MovementShape.check(m) == null;
        return claimed;
    }

    /** Starts the stand-in key of a request that names no account to key it by. */
    static final String NO_ACCOUNT_KEY_PREFIX = "\u0000no-account\u0000";

    /**
     * A request that needs no answer from the gate (tests of what comes after admission): it is
     * released as soon as it arrives.
     */
    public static ClaimedRequest admitted(LedgerRequest request) {
        ClaimedRequest entry = of(request, 0);
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
