package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.LedgerRequest;

/**
 * What the fraud screen is keyed on: a request at the account it acts on first (screened, then
 * forwarded to the ledger), or a copy of a transfer at its destination ({@code inflowOnly}: only
 * observed, so the destination's profile sees money coming in; never forwarded). A POJO for Flink.
 */
public class ScreenInput {

    public String accountId;
    public boolean inflowOnly;
    public LedgerRequest request;

    public ScreenInput() {}

    ScreenInput(String accountId, boolean inflowOnly, LedgerRequest request) {
        this.accountId = accountId;
        this.inflowOnly = inflowOnly;
        this.request = request;
    }

    public String getAccountId() {
        return accountId;
    }
}
