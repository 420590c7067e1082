package io.ledgerflow.ingest.validation;

import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.schemas.money.InvalidAmountException;
import io.ledgerflow.schemas.money.MinorUnits;

/**
 * Decimal amount strings to minor units through the shared {@link MinorUnits} rules, with the
 * schema module's codes mapped onto the API's error codes and fields.
 */
final class MoneyAmounts {

    private final MinorUnits minorUnits;

    MoneyAmounts(long maxAmountMinor) {
        this.minorUnits = MinorUnits.withMaximum(maxAmountMinor);
    }

    static void requireKnownCurrency(String currency, String field) {
        try {
            MinorUnits.exponent(currency);
        } catch (InvalidAmountException e) {
            throw new InvalidRequestException(ErrorCode.UNKNOWN_CURRENCY, field, e.getMessage());
        }
    }

    /** Zero allowed; the caller decides whether zero is acceptable. */
    long toMinorUnits(String amount, String currency, String field) {
        try {
            return minorUnits.parseNonNegative(amount, currency);
        } catch (InvalidAmountException e) {
            ErrorCode code =
                    switch (e.code()) {
                        case INVALID_AMOUNT_FORMAT -> ErrorCode.INVALID_AMOUNT;
                        case NEGATIVE_AMOUNT, ZERO_AMOUNT -> ErrorCode.AMOUNT_NOT_POSITIVE;
                        case EXCESS_PRECISION -> ErrorCode.EXCESS_PRECISION;
                        case AMOUNT_TOO_LARGE -> ErrorCode.AMOUNT_TOO_LARGE;
                        case UNKNOWN_CURRENCY, UNSUPPORTED_CURRENCY -> ErrorCode.UNKNOWN_CURRENCY;
                    };
            String blamed = code == ErrorCode.UNKNOWN_CURRENCY ? "currency" : field;
            throw new InvalidRequestException(code, blamed, e.getMessage());
        }
    }
}
