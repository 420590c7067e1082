package io.ledgerflow.sinks.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.schemas.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconcile command's settings: defaults, every one given, invalid ones named. */
class ReconcileConfigTest {

    @Test
    void defaultsAreTheLocalServersAndOneMinuteWindows() {
        ReconcileConfig c = ReconcileConfig.read(Settings.fromArgs(new String[0], Map.of()));
        assertThat(c.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.settleLag()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.horizon()).isEqualTo(Duration.ofDays(1));
        assertThat(c.every()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.metricsPort()).isZero();
        assertThat(c.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.postgres().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/ledgerflow");
        assertThat(c.clickHouse().database()).isEqualTo("ledgerflow");
    }

    @Test
    void everySettingGiven() {
        ReconcileConfig c =
                ReconcileConfig.read(
                        Settings.fromArgs(
                                new String[] {
                                    "--window",
                                    "5m",
                                    "--settle-lag",
                                    "1m",
                                    "--horizon",
                                    "2d",
                                    "--every",
                                    "0s",
                                    "--metrics-port",
                                    "9464",
                                    "--trust-first",
                                    "true",
                                    "--topic-prefix",
                                    "x.",
                                    "--postgres-password",
                                    "pw"
                                },
                                Map.of()));
        assertThat(c.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.settleLag()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.horizon()).isEqualTo(Duration.ofDays(2));
        assertThat(c.every()).isZero();
        assertThat(c.metricsPort()).isEqualTo(9464);
        assertThat(c.trustFirst()).isTrue();
        assertThat(c.kafka().topic("ledger.entries")).isEqualTo("x.ledger.entries");
        assertThat(c.toString()).doesNotContain("pw,").contains("***");
    }

    @Test
    void invalidSettingsAreNamedTogether() {
        assertThatThrownBy(
                        () ->
                                ReconcileConfig.read(
                                        Settings.fromArgs(
                                                new String[] {
                                                    "--window",
                                                    "7m",
                                                    "--metrics-port",
                                                    "70000",
                                                    "--evry",
                                                    "1s"
                                                },
                                                Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--window must be whole seconds that divide a day")
                .hasMessageContaining("--metrics-port")
                .hasMessageContaining("--evry");
    }

    @Test
    void theCommandPrintsItsUsageOnAnInvalidLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                ReconcileMain.run(
                        new String[] {"--window", "0s"},
                        Map.of(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: sinks/reconcile.sh");
    }
}
