package io.ledgerflow.testdata.population;

import io.ledgerflow.avro.AccountType;

/** Opening one account of the population (the ledger command OPEN). */
public record AccountOpening(
        String partnerId, String accountId, String currency, AccountType accountType)
        implements Request {

    @Override
    public String routingAccountId() {
        return accountId;
    }
}
