package io.ledgerflow.sinks.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.sinks.SinksConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AggregatesConfigTest {

    @Test
    void readsItsOwnArgumentsAndLeavesTheRestToSinksConfig() {
        String[] args = {
            "--parallelism", "3",
            "--aggregates", "false",
            "--aggregates-out-of-orderness", "2s",
            "--aggregates-idleness", "1m",
            "--aggregates-allowed-lateness", "PT1H",
            "--topic-prefix", "x-"
        };
        AggregatesConfig config = AggregatesConfig.fromArgs(args);
        assertThat(config)
                .isEqualTo(
                        new AggregatesConfig(
                                false,
                                Duration.ofSeconds(2),
                                Duration.ofMinutes(1),
                                Duration.ofHours(1)));
        SinksConfig sinks = SinksConfig.fromArgs(AggregatesConfig.otherArgs(args));
        assertThat(sinks.parallelism()).isEqualTo(3);
        assertThat(sinks.topicPrefix()).isEqualTo("x-");
    }

    @Test
    void defaultsWhenNotGivenAndUnknownAggregateSettingsFail() {
        assertThat(AggregatesConfig.fromArgs(new String[0])).isEqualTo(AggregatesConfig.defaults());
        assertThatThrownBy(
                        () ->
                                AggregatesConfig.fromArgs(
                                        new String[] {"--aggregates-lateness", "1m"}))
                .hasMessageContaining("aggregates-lateness");
    }
}
