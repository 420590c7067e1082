package io.ledgerflow.schemas.money;

/**
 * An amount or currency that {@link MinorUnits} cannot turn into minor units. {@link #code()} is
 * for machines (API error codes, metrics); the message is for people.
 */
public final class InvalidAmountException extends IllegalArgumentException {

    /** What is wrong with the amount, in a form a client can act on. */
    public enum Code {
        /** Not a plain decimal: empty, signs, exponents, spaces, leading zeros, "1." or ".5". */
        INVALID_AMOUNT_FORMAT,
        /** Below zero. */
        NEGATIVE_AMOUNT,
        /** Zero where the caller asked for a positive amount. */
        ZERO_AMOUNT,
        /** More fraction digits than the currency has (0.001 USD, 1.5 JPY). */
        EXCESS_PRECISION,
        /** Above the configured maximum (or beyond what a long holds). */
        AMOUNT_TOO_LARGE,
        /** Not an ISO 4217 alphabetic code this JVM knows. */
        UNKNOWN_CURRENCY,
        /** An ISO 4217 code without minor units, such as gold (XAU) or special drawing rights. */
        UNSUPPORTED_CURRENCY
    }

    private final Code code;

    InvalidAmountException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
