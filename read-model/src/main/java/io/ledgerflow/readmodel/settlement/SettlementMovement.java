package io.ledgerflow.readmodel.settlement;

/**
 * One of the settlement's own ledger movements.
 *
 * @param role {@code FEE}, {@code REVENUE} or {@code PAYOUT}
 * @param movementType {@code WITHDRAWAL} (FEE, PAYOUT) or {@code DEPOSIT} (REVENUE)
 * @param partnerId the partner that submits it: the batch's partner, or the platform partner for
 *     REVENUE
 * @param accountId the account it debits (WITHDRAWAL) or credits (DEPOSIT)
 */
public record SettlementMovement(
        String batchId,
        String role,
        String movementType,
        String partnerId,
        String transactionId,
        String accountId,
        long amountMinor,
        String currency) {

    /**
     * The movements a batch posts: the fee out of the settlement account and into the platform's
     * revenue account (two movements, because the ledger moves money only between one partner's
     * accounts: the fee leaves through the outside world and comes back into the platform's), and
     * the payout. None for a zero fee or a zero payout.
     */
    public static java.util.List<SettlementMovement> of(
            SettlementBatch b, String platformPartnerId, String revenueAccountId) {
        java.util.List<SettlementMovement> out = new java.util.ArrayList<>();
        if (b.feesMinor() > 0) {
            out.add(
                    new SettlementMovement(
                            b.batchId(),
                            "FEE",
                            "WITHDRAWAL",
                            b.partnerId(),
                            b.feeTransactionId(),
                            b.settlementAccountId(),
                            b.feesMinor(),
                            b.currency()));
            out.add(
                    new SettlementMovement(
                            b.batchId(),
                            "REVENUE",
                            "DEPOSIT",
                            platformPartnerId,
                            b.revenueTransactionId(),
                            revenueAccountId,
                            b.feesMinor(),
                            b.currency()));
        }
        if (b.payoutMinor() > 0) {
            out.add(
                    new SettlementMovement(
                            b.batchId(),
                            "PAYOUT",
                            "WITHDRAWAL",
                            b.partnerId(),
                            b.payoutTransactionId(),
                            b.settlementAccountId(),
                            b.payoutMinor(),
                            b.currency()));
        }
        return out;
    }
}
