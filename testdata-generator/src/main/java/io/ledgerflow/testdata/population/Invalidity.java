package io.ledgerflow.testdata.population;

/**
 * How a deliberately invalid movement is broken. The JSON form is refused by the ingest API (400);
 * the Avro form (Kafka target, which bypasses the API) is well-formed but refused by the ledger, so
 * it still ends with a terminal REJECTED status.
 */
public enum Invalidity {
    /** JSON: {@code "-12.34"} (API AMOUNT_NOT_POSITIVE). Avro: negative (ledger INVALID_AMOUNT). */
    NEGATIVE_AMOUNT,
    /** JSON: three decimals for a two-decimal currency. Avro: amount zero (INVALID_AMOUNT). */
    EXCESS_PRECISION,
    /** JSON and Avro: currency {@code XXX} (no minor unit; API UNKNOWN_CURRENCY, ledger OTHER). */
    UNKNOWN_CURRENCY,
    /** JSON and Avro: source and destination are the same account (SAME_ACCOUNT). */
    SAME_ACCOUNT,
    /** JSON and Avro: a transfer without its source account (API MISSING_FIELD, ledger OTHER). */
    MISSING_SOURCE
}
