package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.ReasonCode;

/** Why the ledger refuses something: a machine-readable code and a sentence for people. */
record Rejection(ReasonCode reason, String detail) {

    static Rejection of(ReasonCode reason, String detail) {
        return new Rejection(reason, detail);
    }
}
