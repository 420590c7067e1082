package io.ledgerflow.testdata.population;

/**
 * Injected fraud-like behaviour, labelled on each movement that belongs to an episode so that a
 * fraud detector's recall can be measured against the generated truth. The label is never sent to
 * the platform (it would make detection trivial); it appears in JSON-lines output and run reports.
 */
public enum FraudPattern {
    /** Many small transfers out of one ordinarily quiet account within a few seconds. */
    VELOCITY_BURST,
    /** A large deposit, then several withdrawals just under 10,000.00 (reporting threshold). */
    STRUCTURING,
    /** A large deposit into one account, then transfers to every other account of its group. */
    FAN_OUT,
    /** One transfer about a hundred times the account's usual amount. */
    LARGE_OUTLIER
}
