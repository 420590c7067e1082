package io.ledgerflow.sinks.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.SinksConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregatesConfigTest {

    private static Settings args(String... args) {
        return Settings.fromArgs(args, Map.of());
    }

    @Test
    void readsItsOwnArgumentsFromTheSinksJobsCommandLine() {
        Settings settings =
                args(
                        "--parallelism", "3",
                        "--aggregates", "false",
                        "--aggregates-out-of-orderness", "2s",
                        "--aggregates-idleness", "1m",
                        "--aggregates-allowed-lateness", "PT1H",
                        "--aggregates-early-figures", "0s",
                        "--topic-prefix", "x-");
        SinksConfig sinks = SinksConfig.read(settings);
        AggregatesConfig config = AggregatesConfig.read(settings);
        settings.check();
        assertThat(config)
                .isEqualTo(
                        new AggregatesConfig(
                                false,
                                Duration.ofSeconds(2),
                                Duration.ofMinutes(1),
                                Duration.ofHours(1),
                                Duration.ZERO));
        assertThat(sinks.parallelism()).isEqualTo(3);
        assertThat(sinks.topicPrefix()).isEqualTo("x-");
    }

    @Test
    void defaultsWhenNotGiven() {
        Settings settings = args();
        assertThat(AggregatesConfig.read(settings)).isEqualTo(AggregatesConfig.defaults());
        settings.check();
        assertThat(settings.describe())
                .contains("--aggregates                   true\n")
                .contains("--aggregates-allowed-lateness  10m\n");
    }

    @Test
    void unknownValuesAndUnknownAggregateSettingsFailNamingTheSetting() {
        Settings settings =
                args(
                        "--aggregates", "yes",
                        "--aggregates-idleness", "0s",
                        "--aggregates-out-of-orderness", "-1s",
                        "--aggregates-lateness", "1m");
        AggregatesConfig.read(settings);
        assertThatThrownBy(settings::check)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--aggregates must be true or false; got \"yes\"")
                .hasMessageContaining("--aggregates-idleness must be a positive duration")
                .hasMessageContaining("--aggregates-out-of-orderness must be a duration of zero")
                .hasMessageContaining("--aggregates-lateness is not a setting of this command");
    }
}
