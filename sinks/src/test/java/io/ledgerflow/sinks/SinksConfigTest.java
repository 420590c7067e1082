package io.ledgerflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.schemas.config.CheckpointSettings;
import io.ledgerflow.schemas.config.ClickHouseSettings;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the database passwords come from: argument, then password file, then environment, then the
 * local default. The environment is passed in, never read from this JVM. And the operator's {@code
 * --skip-internal-records}.
 */
class SinksConfigTest {

    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    private static final Map<String, String> ENVIRONMENT =
            Map.of(
                    SinksConfig.POSTGRES_PASSWORD_ENV, "pg-from-env",
                    SinksConfig.CLICKHOUSE_PASSWORD_ENV, "ch-from-env");

    @TempDir Path dir;

    @Test
    void withoutAnySourceThePasswordsAreTheLocalDefaults() {
        SinksConfig config = SinksConfig.fromArgs(new String[0], NO_ENVIRONMENT);
        assertThat(config.postgres().password().reveal())
                .isEqualTo(SinksConfig.defaults().postgres().password().reveal());
        assertThat(config.clickHouse().password().reveal())
                .isEqualTo(SinksConfig.defaults().clickHouse().password().reveal());
    }

    @Test
    void theEnvironmentGivesThePasswords() {
        SinksConfig config = SinksConfig.fromArgs(new String[0], ENVIRONMENT);
        assertThat(config.postgres().password().reveal()).isEqualTo("pg-from-env");
        assertThat(config.clickHouse().password().reveal()).isEqualTo("ch-from-env");
    }

    @Test
    void anEmptyEnvironmentVariableIsAnEmptyPassword() {
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[0], Map.of(SinksConfig.CLICKHOUSE_PASSWORD_ENV, ""));
        assertThat(config.clickHouse().password().reveal()).isEmpty();
        assertThat(config.postgres().password().reveal())
                .isEqualTo(SinksConfig.defaults().postgres().password().reveal());
    }

    @Test
    void aPasswordFileWinsOverTheEnvironmentAndIsTrimmed() throws IOException {
        Path pg = Files.writeString(dir.resolve("pg"), "  pg-from-file\n");
        Path ch = Files.writeString(dir.resolve("ch"), "ch-from-file\r\n");
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {
                            "--postgres-password-file", pg.toString(),
                            "--clickhouse-password-file", ch.toString()
                        },
                        ENVIRONMENT);
        assertThat(config.postgres().password().reveal()).isEqualTo("pg-from-file");
        assertThat(config.clickHouse().password().reveal()).isEqualTo("ch-from-file");
    }

    @Test
    void theArgumentWinsOverFileAndEnvironment() throws IOException {
        Path pg = Files.writeString(dir.resolve("pg"), "pg-from-file");
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {
                            "--postgres-password", "pg-from-arg",
                            "--postgres-password-file", pg.toString(),
                            "--clickhouse-password", "ch-from-arg"
                        },
                        ENVIRONMENT);
        assertThat(config.postgres().password().reveal()).isEqualTo("pg-from-arg");
        assertThat(config.clickHouse().password().reveal()).isEqualTo("ch-from-arg");
    }

    @Test
    void eachPasswordIsResolvedOnItsOwn() throws IOException {
        Path ch = Files.writeString(dir.resolve("ch"), "ch-from-file");
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {"--clickhouse-password-file", ch.toString()},
                        Map.of(SinksConfig.POSTGRES_PASSWORD_ENV, "pg-from-env"));
        assertThat(config.postgres().password().reveal()).isEqualTo("pg-from-env");
        assertThat(config.clickHouse().password().reveal()).isEqualTo("ch-from-file");
    }

    @Test
    void anUnreadablePasswordFileFailsAndNamesTheFile() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(
                        () ->
                                SinksConfig.fromArgs(
                                        new String[] {
                                            "--postgres-password-file", missing.toString()
                                        },
                                        ENVIRONMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--postgres-password-file")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void otherSettingsAreUnaffectedAndUnknownNamesStillFail() {
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {
                            "--postgres-user", "sinks",
                            "--checkpoint-interval", "5s",
                            "--clickhouse-database", "analytics"
                        },
                        ENVIRONMENT);
        assertThat(config.postgres().user()).isEqualTo("sinks");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.clickHouse().database()).isEqualTo("analytics");
        assertThatThrownBy(
                        () ->
                                SinksConfig.fromArgs(
                                        new String[] {"--postgres-pasword", "x"}, ENVIRONMENT))
                .hasMessageContaining("--postgres-pasword is not a setting of this command");
    }

    @Test
    void printingTheConfigNeverShowsThePasswords() {
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {
                            "--postgres-password", "pg-secret", "--clickhouse-password", "ch-secret"
                        },
                        java.util.Map.of());

        org.assertj.core.api.Assertions.assertThat(config.toString())
                .doesNotContain("pg-secret")
                .doesNotContain("ch-secret")
                .contains("password=***");
    }

    @Test
    void skippedInternalRecordsAreParsedAndMalformedPositionsRefused() {
        assertThat(SinksConfig.fromArgs(new String[0], NO_ENVIRONMENT).skippedInternalRecords())
                .isEmpty();
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {
                            "--skip-internal-records",
                            "ledger.transaction-results-1@42, ledger.account-states-0@7"
                        },
                        NO_ENVIRONMENT);
        assertThat(config.skippedInternalRecords())
                .isEqualTo(Set.of("ledger.transaction-results-1@42", "ledger.account-states-0@7"));
        assertThatThrownBy(
                        () ->
                                SinksConfig.fromArgs(
                                        new String[] {
                                            "--skip-internal-records", "ledger.account-states@7"
                                        },
                                        NO_ENVIRONMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ledger.account-states@7");
    }

    @Test
    void everySettingCanBeGiven() {
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {
                            "--bootstrap-servers", "kafka:9092",
                            "--schema-registry-url", "http://registry:8080/apis/ccompat/v7",
                            "--consumer-group", "g",
                            "--topic-prefix", "blue-",
                            "--parallelism", "4",
                            "--checkpoint-interval", "5s",
                            "--checkpoint-directory", "s3://b/sinks",
                            "--postgres-url", "jdbc:postgresql://db:5432/rm",
                            "--postgres-user", "sinks",
                            "--postgres-password", "pg",
                            "--postgres-batch-size", "500",
                            "--postgres-batch-interval", "1s",
                            "--postgres-max-retries", "0",
                            "--clickhouse-url", "jdbc:clickhouse://ch:8123",
                            "--clickhouse-database", "analytics",
                            "--clickhouse-user", "writer",
                            "--clickhouse-password", "ch",
                            "--clickhouse-batch-rows", "1000",
                            "--clickhouse-flush-interval", "2s",
                            "--clickhouse-max-retries", "7",
                            "--clickhouse-initial-backoff", "1s"
                        },
                        NO_ENVIRONMENT);
        assertThat(config)
                .isEqualTo(
                        new SinksConfig(
                                new KafkaSettings("kafka:9092", "blue-"),
                                new RegistrySettings("http://registry:8080/apis/ccompat/v7"),
                                "g",
                                4,
                                new CheckpointSettings(Duration.ofSeconds(5), "s3://b/sinks"),
                                new PostgresSettings(
                                        "jdbc:postgresql://db:5432/rm", "sinks", Secret.of("pg")),
                                new SinksConfig.PostgresWrites(500, Duration.ofSeconds(1), 0),
                                new ClickHouseSettings(
                                        "jdbc:clickhouse://ch:8123",
                                        "analytics",
                                        "writer",
                                        Secret.of("ch")),
                                new SinksConfig.ClickHouseWrites(
                                        1000, Duration.ofSeconds(2), 7, Duration.ofSeconds(1)),
                                Set.of()));
        assertThat(config.sourceTopics()).allMatch(t -> t.startsWith("blue-"));
    }

    @Test
    void invalidValuesFailAtStartNamingEachSetting() {
        assertThatThrownBy(
                        () ->
                                SinksConfig.fromArgs(
                                        new String[] {
                                            "--postgres-batch-size", "0",
                                            "--clickhouse-flush-interval", "-1s",
                                            "--postgres-url", "postgres://db",
                                            "--clickhouse-max-retries", "-1"
                                        },
                                        NO_ENVIRONMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--postgres-batch-size must be a whole number of at least 1")
                .hasMessageContaining("--clickhouse-flush-interval must be a positive duration")
                .hasMessageContaining("--postgres-url must be a JDBC URL")
                .hasMessageContaining(
                        "--clickhouse-max-retries must be a whole number of at least 0");
    }

    @Test
    void theEffectiveConfigurationMasksThePasswords() {
        Settings settings =
                Settings.fromArgs(
                        new String[] {"--clickhouse-password", "ch-secret"},
                        Map.of(SinksConfig.POSTGRES_PASSWORD_ENV, "pg-secret"));
        SinksConfig.read(settings);
        settings.check();
        assertThat(settings.describe())
                .doesNotContain("pg-secret")
                .doesNotContain("ch-secret")
                .contains("--postgres-password           ***  (from LEDGERFLOW_POSTGRES_PASSWORD)")
                .contains("--clickhouse-password         ***  (given)");
    }
}
