package io.ledgerflow.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void numbersWithUnitsAndIso() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("5min")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse(null, Duration.ZERO)).isZero();
    }

    @Test
    void anythingElseFailsNamingTheText() {
        for (String bad : new String[] {"10", "s", "1.5s", "10 weeks", "-1s", ""}) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + bad + "\"");
        }
    }

    @Test
    void formatsInTheShortestFormParseReadsBack() {
        for (String text : new String[] {"200ms", "10s", "5m", "1h", "7d", "90d", "1500ms", "0s"}) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
        assertThat(Durations.format(Duration.ofNanos(1))).isEqualTo("PT0.000000001S");
    }
}
