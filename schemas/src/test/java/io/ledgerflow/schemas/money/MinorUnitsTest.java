package io.ledgerflow.schemas.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.schemas.money.InvalidAmountException.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MinorUnitsTest {

    private final MinorUnits minorUnits = MinorUnits.standard();

    @ParameterizedTest(name = "{0} {1} = {2}")
    @CsvSource({
        "12.34, USD, 1234",
        "12.3,  USD, 1230",
        "12,    USD, 1200",
        "0.01,  USD, 1",
        "100,   JPY, 100",
        "1.234, BHD, 1234",
        "0.5,   EUR, 50",
        "10000000000000.00, USD, 1000000000000000",
    })
    void parsesPlainDecimals(String amount, String currency, long minor) {
        assertThat(minorUnits.parsePositive(amount, currency)).isEqualTo(minor);
    }

    @ParameterizedTest(name = "\"{0}\" {1} -> {2}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                "'',        USD, INVALID_AMOUNT_FORMAT",
                "NULL,      USD, INVALID_AMOUNT_FORMAT",
                "1e3,       USD, INVALID_AMOUNT_FORMAT",
                "+1,        USD, INVALID_AMOUNT_FORMAT",
                "' 1',      USD, INVALID_AMOUNT_FORMAT",
                "'1 ',      USD, INVALID_AMOUNT_FORMAT",
                "1.,        USD, INVALID_AMOUNT_FORMAT",
                ".5,        USD, INVALID_AMOUNT_FORMAT",
                "01,        USD, INVALID_AMOUNT_FORMAT",
                "00.5,      USD, INVALID_AMOUNT_FORMAT",
                "'1,000',   USD, INVALID_AMOUNT_FORMAT",
                "1.2.3,     USD, INVALID_AMOUNT_FORMAT",
                "NaN,       USD, INVALID_AMOUNT_FORMAT",
                "0x10,      USD, INVALID_AMOUNT_FORMAT",
                "١٢,        USD, INVALID_AMOUNT_FORMAT",
                "-1,        USD, NEGATIVE_AMOUNT",
                "-0.01,     USD, NEGATIVE_AMOUNT",
                "0,         USD, ZERO_AMOUNT",
                "0.00,      USD, ZERO_AMOUNT",
                "0.001,     USD, EXCESS_PRECISION",
                "1.000,     USD, EXCESS_PRECISION",
                "1.5,       JPY, EXCESS_PRECISION",
                "1.2345,    BHD, EXCESS_PRECISION",
                "10000000000000.01, USD, AMOUNT_TOO_LARGE",
                "92233720368547758.08, USD, AMOUNT_TOO_LARGE",
                "99999999999999999999999999999, JPY, AMOUNT_TOO_LARGE",
                "1,         usd, UNKNOWN_CURRENCY",
                "1,         ZZZ, UNKNOWN_CURRENCY",
                "1,         US,  UNKNOWN_CURRENCY",
                "1,         NULL, UNKNOWN_CURRENCY",
                "1,         XAU, UNSUPPORTED_CURRENCY",
                "1,         XXX, UNSUPPORTED_CURRENCY",
            })
    void rejectsWithAMachineReadableCode(String amount, String currency, Code code) {
        assertThatThrownBy(() -> minorUnits.parsePositive(amount, currency))
                .isInstanceOfSatisfying(
                        InvalidAmountException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageNotContaining("null");
    }

    @Test
    void zeroIsTheCallersChoice() {
        assertThat(minorUnits.parseNonNegative("0", "USD")).isZero();
        assertThat(minorUnits.parseNonNegative("0.00", "USD")).isZero();
    }

    @Test
    void maximumIsConfigurableAndInclusive() {
        MinorUnits upTo100Dollars = MinorUnits.withMaximum(10_000);

        assertThat(upTo100Dollars.parsePositive("100.00", "USD")).isEqualTo(10_000);
        assertThatThrownBy(() -> upTo100Dollars.parsePositive("100.01", "USD"))
                .isInstanceOfSatisfying(
                        InvalidAmountException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.AMOUNT_TOO_LARGE))
                .hasMessageContaining("exceeds the maximum of 100.00 USD");
    }

    @ParameterizedTest(name = "{0} {1} = \"{2}\"")
    @CsvSource({
        "1234, USD, 12.34",
        "5,    USD, 0.05",
        "0,    USD, 0.00",
        "-5,   USD, -0.05",
        "100,  JPY, 100",
        "1,    BHD, 0.001",
        "9223372036854775807, USD, 92233720368547758.07",
    })
    void formatsMinorUnits(long minor, String currency, String formatted) {
        assertThat(MinorUnits.format(minor, currency)).isEqualTo(formatted);
    }

    @ParameterizedTest
    @CsvSource({"1, USD", "1999, EUR", "7, JPY", "1000, BHD", "1000000000000000, USD"})
    void formattedAmountsParseBack(long minor, String currency) {
        assertThat(minorUnits.parsePositive(MinorUnits.format(minor, currency), currency))
                .isEqualTo(minor);
    }
}
