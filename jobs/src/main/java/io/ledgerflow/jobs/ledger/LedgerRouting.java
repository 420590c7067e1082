package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;

/** Which account's key a request is applied at first: the same rule as the Kafka record key. */
public final class LedgerRouting {

    private LedgerRouting() {}

    public static String accountOf(LedgerRequest request) {
        if (request.getRequest() instanceof AccountCommand c) {
            return c.getAccountId();
        }
        MoneyMovement m = (MoneyMovement) request.getRequest();
        return m.getType() == MovementType.DEPOSIT
                ? m.getDestinationAccountId()
                : m.getSourceAccountId();
    }
}
