package io.ledgerflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(config.postgresPassword()).isEqualTo(SinksConfig.defaults().postgresPassword());
        assertThat(config.clickHousePassword())
                .isEqualTo(SinksConfig.defaults().clickHousePassword());
    }

    @Test
    void theEnvironmentGivesThePasswords() {
        SinksConfig config = SinksConfig.fromArgs(new String[0], ENVIRONMENT);
        assertThat(config.postgresPassword()).isEqualTo("pg-from-env");
        assertThat(config.clickHousePassword()).isEqualTo("ch-from-env");
    }

    @Test
    void anEmptyEnvironmentVariableIsAnEmptyPassword() {
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[0], Map.of(SinksConfig.CLICKHOUSE_PASSWORD_ENV, ""));
        assertThat(config.clickHousePassword()).isEmpty();
        assertThat(config.postgresPassword()).isEqualTo(SinksConfig.defaults().postgresPassword());
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
        assertThat(config.postgresPassword()).isEqualTo("pg-from-file");
        assertThat(config.clickHousePassword()).isEqualTo("ch-from-file");
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
        assertThat(config.postgresPassword()).isEqualTo("pg-from-arg");
        assertThat(config.clickHousePassword()).isEqualTo("ch-from-arg");
    }

    @Test
    void eachPasswordIsResolvedOnItsOwn() throws IOException {
        Path ch = Files.writeString(dir.resolve("ch"), "ch-from-file");
        SinksConfig config =
                SinksConfig.fromArgs(
                        new String[] {"--clickhouse-password-file", ch.toString()},
                        Map.of(SinksConfig.POSTGRES_PASSWORD_ENV, "pg-from-env"));
        assertThat(config.postgresPassword()).isEqualTo("pg-from-env");
        assertThat(config.clickHousePassword()).isEqualTo("ch-from-file");
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
        assertThat(config.postgresUser()).isEqualTo("sinks");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.clickHouseDatabase()).isEqualTo("analytics");
        assertThatThrownBy(
                        () ->
                                SinksConfig.fromArgs(
                                        new String[] {"--postgres-pasword", "x"}, ENVIRONMENT))
                .hasMessageContaining("unknown settings")
                .hasMessageContaining("postgres-pasword");
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
                .contains("postgresPassword=***");
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
}
