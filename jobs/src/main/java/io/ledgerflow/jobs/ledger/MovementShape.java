package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.jobs.results.Rejection;

/**
 * Rules a movement must meet before it reaches an account: the fields its type needs, a positive
 * amount, a supported currency, two different accounts. The ingest API checks the same and more;
 * the ledger checks again because upstream systems may produce to Kafka directly.
 */
final class MovementShape {

    private MovementShape() {}

    /** Null if {@code m} is well-formed, else why not. */
    static Rejection check(MoneyMovement m) {
        MovementType type = m.getType();
        if (!Currencies.isSupported(m.getCurrency())) {
            return Rejection.of(ReasonCode.OTHER, "unsupported currency " + m.getCurrency());
        }
        if (type == MovementType.VOID ? m.getAmountMinor() < 0 : m.getAmountMinor() <= 0) {
            return Rejection.of(ReasonCode.INVALID_AMOUNT, "amount must be positive");
        }
        boolean needsSource = type != MovementType.DEPOSIT;
        boolean needsDestination =
                type == MovementType.TRANSFER
                        || type == MovementType.DEPOSIT
                        || type == MovementType.REFUND;
        boolean needsRelated =
                type == MovementType.CAPTURE
                        || type == MovementType.VOID
                        || type == MovementType.REFUND;
        if (needsSource && isBlank(m.getSourceAccountId())) {
            return missing("sourceAccountId", type);
        }
        if (needsDestination && isBlank(m.getDestinationAccountId())) {
            return missing("destinationAccountId", type);
        }
        if (needsRelated && isBlank(m.getRelatedTransactionId())) {
            return missing("relatedTransactionId", type);
        }
        // System accounts are the ledger's own: only its instructions post to them. A request
        // naming one (possible from a producer on Kafka that claims the system partner) would
        // otherwise move the outside world's money at will.
        for (String account : new String[] {m.getSourceAccountId(), m.getDestinationAccountId()}) {
            if (account != null && account.startsWith(LedgerFunction.SYSTEM_ACCOUNT_PREFIX)) {
                return Rejection.of(ReasonCode.ACCOUNT_NOT_FOUND, "no account " + account);
            }
        }
        if (m.getSourceAccountId() != null
                && m.getSourceAccountId().equals(m.getDestinationAccountId())) {
            return Rejection.of(ReasonCode.SAME_ACCOUNT, "source and destination are the same");
        }
        return null;
    }

    private static Rejection missing(String field, MovementType type) {
        return Rejection.of(ReasonCode.OTHER, type + " needs " + field);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
