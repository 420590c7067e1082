package io.ledgerflow.sinks.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.schemas.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The statement import's settings (also what the Kubernetes Job template is checked against):
 * format by the file's extension, the tolerance's default and cap, passwords from the environment,
 * and every wrong setting named at once.
 */
class StatementImportConfigTest {

    private static StatementImportConfig read(Map<String, String> env, String... args) {
        return StatementImportConfig.read(Settings.fromArgs(args, env));
    }

    @Test
    void anXmlFileIsCamt053AndEverythingElseCsvUnlessTheFormatIsGiven() {
        StatementImportConfig xml =
                read(Map.of(), "--statement-id", "S1", "--file", "/etc/st/statement.XML");
        assertThat(xml.format()).isEqualTo("camt053");
        assertThat(xml.file()).isEqualTo(Path.of("/etc/st/statement.XML"));
        assertThat(read(Map.of(), "--statement-id", "S1", "--file", "s.csv").format())
                .isEqualTo("csv");
        assertThat(
                        read(
                                        Map.of(),
                                        "--statement-id",
                                        "S1",
                                        "--file",
                                        "s.txt",
                                        "--format",
                                        "camt053")
                                .format())
                .isEqualTo("camt053");
    }

    @Test
    void defaultsAreTwoDaysOfToleranceTheLinesPeriodAndTheLocalServers() {
        StatementImportConfig c = read(Map.of(), "--statement-id", "S1", "--file", "s.csv");
        assertThat(c.statementId()).isEqualTo("S1");
        assertThat(c.toleranceDays()).isEqualTo(2);
        assertThat(c.from()).isEmpty();
        assertThat(c.to()).isEmpty();
        assertThat(c.postgres().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/ledgerflow");
        assertThat(c.clickHouse().database()).isEqualTo("ledgerflow");
    }

    @Test
    void theToleranceIsCappedAtAYearAndThePeriodAndPasswordsAreTaken() {
        StatementImportConfig c =
                read(
                        Map.of(
                                "LEDGERFLOW_POSTGRES_PASSWORD", "pg-secret",
                                "LEDGERFLOW_CLICKHOUSE_PASSWORD", "ch-secret"),
                        "--statement-id",
                        "S1",
                        "--file",
                        "s.csv",
                        "--tolerance",
                        "1000d",
                        "--from",
                        "2026-12-01",
                        "--to",
                        "2026-12-31");
        assertThat(c.toleranceDays()).isEqualTo(366);
        assertThat(c.from()).contains("2026-12-01");
        assertThat(c.to()).contains("2026-12-31");
        assertThat(c.postgres().password().reveal()).isEqualTo("pg-secret");
        assertThat(c.clickHouse().password().reveal()).isEqualTo("ch-secret");
    }

    @Test
    void everyWrongSettingIsNamedAtOnce() {
        assertThatThrownBy(
                        () ->
                                read(
                                        Map.of(),
                                        "--file",
                                        "s.csv",
                                        "--format",
                                        "mt940",
                                        "--tolerence",
                                        "1d"))
                .hasMessageContaining("--statement-id")
                .hasMessageContaining("--format")
                .hasMessageContaining("--tolerence");
    }

    @Test
    void theCommandRefusesWrongSettingsWithItsUsageAndExitStatus2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                StatementImportMain.run(
                        new String[] {"--file", "s.csv"},
                        Map.of(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Clock.systemUTC());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--statement-id")
                .contains("usage: sinks/import-statement.sh");
    }
}
