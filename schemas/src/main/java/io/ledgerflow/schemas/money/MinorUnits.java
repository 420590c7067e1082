package io.ledgerflow.schemas.money;

import io.ledgerflow.schemas.money.InvalidAmountException.Code;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * Converts between decimal amount strings ("12.34") and the whole minor units (1234 cents) that
 * every Ledgerflow record carries, using the ISO 4217 exponent of the currency.
 *
 * <p>Amounts are exact: no floating point anywhere, and nothing is ever rounded. The accepted
 * syntax is deliberately narrow, {@code (0|[1-9][0-9]*)(\.[0-9]+)?} in ASCII digits, because an
 * amount that could be read two ways must be refused, not guessed:
 *
 * <ul>
 *   <li>no sign ("+1"), no exponent ("1e3"), no spaces, no grouping ("1,000");
 *   <li>no bare point ("1.", ".5") and no leading zeros ("01", "00.5"): some systems read a leading
 *       zero as octal or a typo, and a canonical form keeps idempotency keys and audit logs
 *       comparable;
 *   <li>at most as many fraction digits as the currency has, even when the extra digits are zeros:
 *       "1.000 USD" is {@link Code#EXCESS_PRECISION}, because a client sending more digits than the
 *       currency has is likely confused about the currency; fewer digits are fine ("1.5" USD =
 *       150).
 * </ul>
 *
 * <p>Checks run in this order, so a client sees one stable code per input: currency, then syntax (a
 * leading '-' followed by a valid amount is {@link Code#NEGATIVE_AMOUNT}), precision, maximum,
 * zero.
 *
 * <p>Exponents come from {@link Currency#getDefaultFractionDigits()}, that is from the JDK's ISO
 * 4217 data: all services must run the same JDK line so they agree on them.
 */
public final class MinorUnits {

    /**
     * Default largest accepted amount, in minor units: 10^15 (ten trillion dollars in cents). It
     * leaves three orders of magnitude before a {@code long} balance could overflow when summing
     * such amounts.
     */
    public static final long DEFAULT_MAXIMUM_MINOR = 1_000_000_000_000_000L;

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]+)?");
    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

    /** Integer digits beyond which any amount exceeds a long, checked before any arithmetic. */
    private static final int MAX_INTEGER_DIGITS = 19;

    private static final MinorUnits STANDARD = new MinorUnits(DEFAULT_MAXIMUM_MINOR);

    private final long maximumMinor;

    private MinorUnits(long maximumMinor) {
        if (maximumMinor <= 0) {
            throw new IllegalArgumentException("maximum must be positive: " + maximumMinor);
        }
        this.maximumMinor = maximumMinor;
    }

    /** Parser with {@link #DEFAULT_MAXIMUM_MINOR}. */
    public static MinorUnits standard() {
        return STANDARD;
    }

    /** Parser accepting amounts up to {@code maximumMinor} minor units (inclusive). */
    public static MinorUnits withMaximum(long maximumMinor) {
        return new MinorUnits(maximumMinor);
    }

    public long maximumMinor() {
        return maximumMinor;
    }

    /**
     * Parses a strictly positive amount, e.g. {@code parsePositive("12.34", "USD") == 1234}.
     *
     * @throws InvalidAmountException with {@link Code#ZERO_AMOUNT} for zero, or any other code
     */
    public long parsePositive(String amount, String currencyCode) {
        long minor = parseNonNegative(amount, currencyCode);
        if (minor == 0) {
            throw new InvalidAmountException(
                    Code.ZERO_AMOUNT, "amount must be greater than zero, got \"" + amount + "\"");
        }
        return minor;
    }

    /**
     * Parses an amount that may be zero (a VOID carries none, for example).
     *
     * @throws InvalidAmountException if the amount or currency is not acceptable
     */
    public long parseNonNegative(String amount, String currencyCode) {
        int exponent = exponent(currencyCode);
        if (amount == null || !PLAIN_DECIMAL.matcher(amount).matches()) {
            if (amount != null
                    && amount.startsWith("-")
                    && PLAIN_DECIMAL.matcher(amount.substring(1)).matches()) {
                throw new InvalidAmountException(
                        Code.NEGATIVE_AMOUNT,
                        "amount must not be negative, got \"" + amount + "\"");
            }
            throw new InvalidAmountException(
                    Code.INVALID_AMOUNT_FORMAT,
                    "amount must be a plain decimal such as \"12.34\" (digits, optionally a point"
                            + " and fraction digits; no sign, exponent, spaces or leading zeros),"
                            + " got "
                            + (amount == null ? "nothing" : "\"" + amount + "\""));
        }
        int point = amount.indexOf('.');
        int integerDigits = point < 0 ? amount.length() : point;
        int fractionDigits = point < 0 ? 0 : amount.length() - point - 1;
        if (fractionDigits > exponent) {
            throw new InvalidAmountException(
                    Code.EXCESS_PRECISION,
                    currencyCode
                            + " amounts have at most "
                            + exponent
                            + " fraction digit(s), got \""
                            + amount
                            + "\"");
        }
        if (integerDigits > MAX_INTEGER_DIGITS) {
            throw tooLarge(amount, currencyCode);
        }
        // Exact: the syntax is checked, the digit count bounded and the scale only grows.
        BigDecimal minor = new BigDecimal(amount).movePointRight(exponent);
        if (minor.compareTo(BigDecimal.valueOf(maximumMinor)) > 0) {
            throw tooLarge(amount, currencyCode);
        }
        return minor.longValueExact();
    }

    private InvalidAmountException tooLarge(String amount, String currencyCode) {
        return new InvalidAmountException(
                Code.AMOUNT_TOO_LARGE,
                "amount \""
                        + amount
                        + "\" exceeds the maximum of "
                        + format(maximumMinor, currencyCode)
                        + " "
                        + currencyCode);
    }

    /**
     * Formats minor units as a plain decimal with exactly the currency's fraction digits: {@code
     * format(1234, "USD")} is "12.34", {@code format(-5, "USD")} is "-0.05" (balances can be
     * negative), {@code format(100, "JPY")} is "100". The result parses back to the same value when
     * positive.
     *
     * @throws InvalidAmountException if the currency is unknown or has no minor units
     */
    public static String format(long minorUnits, String currencyCode) {
        return BigDecimal.valueOf(minorUnits, exponent(currencyCode)).toPlainString();
    }

    /**
     * The number of fraction digits of an ISO 4217 currency: 2 for USD, 0 for JPY, 3 for BHD.
     *
     * @throws InvalidAmountException with {@link Code#UNKNOWN_CURRENCY} for anything but a known
     *     upper-case three-letter code, {@link Code#UNSUPPORTED_CURRENCY} for codes without minor
     *     units (XAU, XDR, XXX)
     */
    public static int exponent(String currencyCode) {
        if (currencyCode == null || !CURRENCY_CODE.matcher(currencyCode).matches()) {
            throw unknownCurrency(currencyCode);
        }
        Currency currency;
        try {
            currency = Currency.getInstance(currencyCode);
        } catch (IllegalArgumentException e) {
            throw unknownCurrency(currencyCode);
        }
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new InvalidAmountException(
                    Code.UNSUPPORTED_CURRENCY,
                    currencyCode
                            + " has no minor units (a metal or fund code) and is not supported");
        }
        return digits;
    }

    private static InvalidAmountException unknownCurrency(String currencyCode) {
        return new InvalidAmountException(
                Code.UNKNOWN_CURRENCY,
                "currency must be an upper-case ISO 4217 code such as \"USD\", got "
                        + (currencyCode == null ? "nothing" : "\"" + currencyCode + "\""));
    }
}
