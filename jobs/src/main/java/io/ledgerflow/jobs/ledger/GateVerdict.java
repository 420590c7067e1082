package io.ledgerflow.jobs.ledger;

/** The idempotency gate's answer about one request. */
public enum GateVerdict {
    /** The first request with its id: it goes on to the ledger. */
    ADMITTED,
    /** The same id with the same payload again: its result already exists, so it is dropped. */
    DUPLICATE,
    /** The same id with a different payload: a dead letter; the first one stands. */
    CONFLICT
}
