package io.ledgerflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreferWaitTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "wait=5|5",
                "WAIT = 3|3",
                "respond-async, wait=7|7",
                "wait=\"4\"|4",
                "wait=10|10",
                "wait=600|10",
                "wait=0|none",
                "wait=-1|none",
                "wait=2.5|none",
                "wait=|none",
                "respond-async|none",
                "handling=lenient; x=1, wait=2;foo=bar|2",
                "waiting=5|none",
            })
    void readsTheWaitPreferenceAndIgnoresWhatItDoesNotUnderstand(String header, Long seconds) {
        assertThat(PreferWait.of(List.of(header)))
                .isEqualTo(seconds == null ? null : Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource(
            delimiter = '|',
            value = {"respond-async|wait=6", "wait=abc|wait=2"})
    void readsEveryPreferHeader(String first, String second) {
        assertThat(PreferWait.of(List.of(first, second))).isNotNull();
    }
}
