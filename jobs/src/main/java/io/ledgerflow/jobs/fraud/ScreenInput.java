package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.jobs.ledger.LedgerRouting;

/**
 * What the fraud screen is keyed on: an admitted request at the account it acts on first (screened,
 * then forwarded to the ledger), or money arriving at a transfer's destination ({@code inflow}:
 * only observed, so the destination's profile sees money coming in; never forwarded). Exactly one
 * of {@code request} and {@code inflow} is set. A POJO for Flink.
 */
public class ScreenInput {

    public String accountId;
    public LedgerRequest request;
    public AccountActivity inflow;

    public ScreenInput() {}

    private ScreenInput(String accountId, LedgerRequest request, AccountActivity inflow) {
        this.accountId = accountId;
        this.request = request;
        this.inflow = inflow;
    }

    /** A request at the account the ledger applies it at first. */
    public static ScreenInput request(LedgerRequest request) {
        return new ScreenInput(LedgerRouting.accountOf(request), request, null);
    }

    /** Money arriving at {@code accountId} from a transfer. */
    public static ScreenInput inflow(String accountId, AccountActivity inflow) {
        return new ScreenInput(accountId, null, inflow);
    }

    public String getAccountId() {
        return accountId;
    }
}
