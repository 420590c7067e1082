package io.ledgerflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    /**
     * Syntactically valid JSON numbers that no BigDecimal can hold: Jackson throws an unchecked
     * NumberFormatException for them, which once surfaced as a 500.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"metadata\":{\"n\":1e-2147483649}}",
                "{\"unknown\":1E2147483648}",
                "{\"items\":[{\"amount\":-1e-9999999999}]}"
            })
    void numbersOutOfRangeAreMalformed(String body) {
        assertThatThrownBy(() -> Json.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.problem().code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }
}
