package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.jobs.fraud.AccountActivity;

/**
 * What the admission and fraud screen operator ({@link AdmissionAndScreen}) is keyed on (by
 * account): a request on its way through admission, or the idempotency gate's answer about one
 * (which, for an admitted transfer, may instead carry the money it brings to this account: only
 * observed, so the destination's profile sees money coming in). Exactly one of {@code request} and
 * {@code answer} is set. A POJO for Flink.
 */
public class ScreenInput {

    public String accountId;
    public ClaimedRequest request;
    public GateAnswer answer;

    public ScreenInput() {}

    public static ScreenInput of(ClaimedRequest request) {
        ScreenInput input = new ScreenInput();
        input.accountId = request.account;
        input.request = request;
        return input;
    }

    public static ScreenInput of(GateAnswer answer) {
        ScreenInput input = new ScreenInput();
        input.accountId = answer.account;
        input.answer = answer;
        return input;
    }

    /** A request the gate has already admitted (tests of the screen on its own). */
    public static ScreenInput admitted(LedgerRequest request) {
        return of(ClaimedRequest.admitted(request));
    }

    /** Money arriving at {@code accountId} from a transfer. */
    public static ScreenInput inflow(String accountId, AccountActivity inflow) {
        return of(GateAnswer.inflow(accountId, inflow));
    }

    public String getAccountId() {
        return accountId;
    }
}
