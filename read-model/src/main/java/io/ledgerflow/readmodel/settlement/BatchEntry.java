package io.ledgerflow.readmodel.settlement;

/**
 * A posting a batch covers, with the fee charged on it.
 *
 * @param feeVersion the fee schedule version that set the fee, or null when no rule applied
 * @param adjustment the posting's event time is before the batch's period: it was decided after its
 *     own period's batch was made
 */
public record BatchEntry(
        SettledPosting posting, long feeMinor, Integer feeVersion, boolean adjustment) {}
