package io.ledgerflow.testdata.population;

/**
 * One thing the generator submits on behalf of a partner: an account opening or a money movement.
 * Targets turn it into their own wire form (JSON body, Avro record, JSON line).
 */
public sealed interface Request permits AccountOpening, Movement {

    /** The partner that submits the request and owns the accounts it names. */
    String partnerId();

    /** The account the ledger acts on first: the Kafka key, so an OPEN precedes its movements. */
    String routingAccountId();
}
