package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.schemas.config.ClickHouseSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings of the {@code import-statement} command, parsed once (also by the Kubernetes
 * manifest tests, which give it the arguments of the statement-import Job).
 *
 * @param statementId the statement's id: re-importing the same id replaces its rows
 * @param file the statement
 * @param format {@code csv} or {@code camt053} (default: by the file's extension, .xml = camt053)
 * @param toleranceDays how far apart a line's and a movement's dates may be (default 2, at most
 *     366)
 * @param from the period's first day, or empty: the lines' earliest date
 * @param to the period's last day, or empty: the lines' latest date
 */
public record StatementImportConfig(
        String statementId,
        Path file,
        String format,
        int toleranceDays,
        Optional<String> from,
        Optional<String> to,
        PostgresSettings postgres,
        ClickHouseSettings clickHouse) {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofDays(2);

    public static StatementImportConfig read(Settings s) {
        String statementId = s.required("statement-id");
        Path file = Path.of(s.required("file"));
        String format =
                s.choice(
                        "format",
                        file.toString().toLowerCase(Locale.ROOT).endsWith(".xml")
                                ? "camt053"
                                : "csv",
                        "csv",
                        "camt053");
        long days = s.nonNegativeDuration("tolerance", DEFAULT_TOLERANCE).toDays();
        StatementImportConfig c =
                new StatementImportConfig(
                        statementId,
                        file,
                        format,
                        (int) Math.min(days, 366),
                        s.optional("from"),
                        s.optional("to"),
                        PostgresSettings.read(
                                s,
                                "postgres-",
                                "LEDGERFLOW_POSTGRES_PASSWORD",
                                ReconcileConfig.LOCAL_POSTGRES),
                        ClickHouseSettings.read(
                                s,
                                "LEDGERFLOW_CLICKHOUSE_PASSWORD",
                                ReconcileConfig.LOCAL_CLICKHOUSE));
        s.check();
        return c;
    }
}
