package io.ledgerflow.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountOpeningParserTest {

    private final AccountOpeningParser parser = new AccountOpeningParser(ValidationLimits.DEFAULTS);

    private AccountOpening open(String overdraftJson) {
        return parser.parse(
                Json.parse(
                        ("{\"accountId\":\"a\",\"currency\":\"USD\",\"overdraftLimit\":"
                                        + overdraftJson
                                        + "}")
                                .getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The overdraft limit is bounded like an amount, so the ledger's {@code -overdraftLimit} and
     * the funds check against it stay far inside a long.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'\"-1\"', AMOUNT_NOT_POSITIVE",
        "'\"-9223372036854775808\"', AMOUNT_NOT_POSITIVE",
        "'\"92233720368547758.07\"', AMOUNT_TOO_LARGE",
        "'\"99999999999999999999999\"', AMOUNT_TOO_LARGE",
        "'\"10000000000000.01\"', AMOUNT_TOO_LARGE",
        "'\"1e3\"', INVALID_AMOUNT",
        "'\"0.001\"', EXCESS_PRECISION",
        "'9223372036854775807', INVALID_FIELD_TYPE",
    })
    void overdraftLimitsOutOfRangeAreRefused(String overdraft, String code) {
        assertThatThrownBy(() -> open(overdraft))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> {
                            assertThat(e.problem().code().name()).isEqualTo(code);
                            assertThat(e.problem().field()).isEqualTo("overdraftLimit");
                        });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"'\"10000000000000\"', 1000000000000000", "'\"0\"', 0", "null, 0"})
    void overdraftLimitsUpToTheMaximumAreAccepted(String overdraft, long minor) {
        assertThat(open(overdraft).overdraftLimitMinor()).isEqualTo(minor);
    }
}
