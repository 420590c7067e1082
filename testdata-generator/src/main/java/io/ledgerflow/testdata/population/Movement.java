package io.ledgerflow.testdata.population;

import io.ledgerflow.avro.MovementType;
import java.time.Instant;

/**
 * One generated money movement, before any target encodes it.
 *
 * @param eventTime when it happened at the partner; null means "when accepted" (live load)
 * @param invalidity how it is deliberately broken, or null for a valid movement
 * @param fraudPattern the injected fraud episode it belongs to, or null
 */
public record Movement(
        String transactionId,
        String partnerId,
        MovementType type,
        String sourceAccountId,
        String destinationAccountId,
        String relatedTransactionId,
        long amountMinor,
        String currency,
        Instant eventTime,
        Invalidity invalidity,
        FraudPattern fraudPattern)
        implements Request {

    @Override
    public String routingAccountId() {
        return type == MovementType.DEPOSIT || sourceAccountId == null
                ? destinationAccountId
                : sourceAccountId;
    }

    /** True when the generator meant this movement to be refused. */
    public boolean isInvalid() {
        return invalidity != null;
    }
}
