package io.ledgerflow.testdata.target;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.Request;
import java.time.Instant;
import java.util.Map;

/**
 * Generated requests as the ledger's Avro {@link LedgerRequest}, what the ingest API would have
 * written. Invalid movements stay well-formed Avro that the ledger itself refuses (see {@link
 * io.ledgerflow.testdata.population.Invalidity}).
 */
public final class LedgerRequests {

    private LedgerRequests() {}

    /** The record for a request, received (and, for live event time, happened) at {@code now}. */
    public static LedgerRequest of(Request request, Instant now) {
        if (request instanceof AccountOpening o) {
            return new LedgerRequest(
                    AccountCommand.newBuilder()
                            // OPEN is idempotent by account, like the API's: the same id always.
                            .setCommandId("open-" + o.accountId())
                            .setPartnerId(o.partnerId())
                            .setAccountId(o.accountId())
                            .setType(AccountCommandType.OPEN)
                            .setCurrency(o.currency())
                            .setAccountType(o.accountType())
                            .setOverdraftLimitMinor(0)
                            .setEventTime(now)
                            .setReceivedTime(now)
                            .build());
        }
        Movement m = (Movement) request;
        long amount = m.amountMinor();
        String currency = m.currency();
        if (m.invalidity() != null) {
            switch (m.invalidity()) {
                case NEGATIVE_AMOUNT -> amount = -amount;
                case EXCESS_PRECISION -> amount = 0;
                case UNKNOWN_CURRENCY -> currency = "XXX";
                default -> {
                    // SAME_ACCOUNT and MISSING_SOURCE are already in the account fields.
                }
            }
        }
        return new LedgerRequest(
                MoneyMovement.newBuilder()
                        .setTransactionId(m.transactionId())
                        .setPartnerId(m.partnerId())
                        .setType(m.type())
                        .setSourceAccountId(m.sourceAccountId())
                        .setDestinationAccountId(m.destinationAccountId())
                        .setRelatedTransactionId(m.relatedTransactionId())
                        .setAmountMinor(amount)
                        .setCurrency(currency)
                        .setEventTime(m.eventTime() != null ? m.eventTime() : now)
                        .setReceivedTime(now)
                        .setMetadata(Map.of())
                        .build());
    }
}
