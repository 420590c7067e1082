package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.schemas.config.ClickHouseSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import io.ledgerflow.sinks.reconcile.StatementMatcher.Result;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code import-statement}: reads a statement file (CSV, {@link StatementCsv}), matches its lines
 * against the ledger's completed deposits and withdrawals in the read model ({@link
 * StatementMatcher}), stores lines and results in PostgreSQL and ClickHouse, and prints the
 * exceptions with their age. Exit status: 0 everything matched, 1 exceptions, 2 usage, file or
 * connection error.
 */
public final class StatementImportMain {

    static final String USAGE =
            """
            usage: sinks/import-statement.sh --statement-id ID --file statement.csv|statement.xml
                   [--format csv|camt053 (default: by the file's extension, .xml = camt053)]
                   [--tolerance 2d] [--from YYYY-MM-DD --to YYYY-MM-DD (default: the lines' dates)]
                   [--postgres-url URL --postgres-user U --postgres-password P]
                   [--clickhouse-url URL --clickhouse-database ledgerflow --clickhouse-user U]
            exit status: 0 all matched, 1 exceptions, 2 usage, file or connection error
            """;

    private StatementImportMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, Clock.systemUTC()));
    }

    static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        String statementId;
        Path file;
        int tolerance;
        PostgresSettings postgres;
        ClickHouseSettings clickHouse;
        String from;
        String to;
        String format;
        try {
            Settings s = Settings.fromArgs(args, env);
            statementId = s.required("statement-id");
            file = Path.of(s.required("file"));
            format =
                    s.choice(
                            "format",
                            file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".xml")
                                    ? "camt053"
                                    : "csv",
                            "csv",
                            "camt053");
            long days = s.nonNegativeDuration("tolerance", java.time.Duration.ofDays(2)).toDays();
            tolerance = (int) Math.min(days, 366);
            from = s.optional("from").orElse(null);
            to = s.optional("to").orElse(null);
            postgres =
                    PostgresSettings.read(
                            s,
                            "postgres-",
                            "LEDGERFLOW_POSTGRES_PASSWORD",
                            ReconcileConfig.LOCAL_POSTGRES);
            clickHouse =
                    ClickHouseSettings.read(
                            s, "LEDGERFLOW_CLICKHOUSE_PASSWORD", ReconcileConfig.LOCAL_CLICKHOUSE);
            s.check();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        List<StatementLine> lines;
        try {
            if (format.equals("camt053")) {
                try (java.io.InputStream in = Files.newInputStream(file)) {
                    lines = StatementCamt053.parse(in);
                }
            } else {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    lines = StatementCsv.parse(r);
                }
            }
        } catch (Exception e) {
            err.println(
                    "cannot read the statement "
                            + file
                            + ":\n"
                            + (e instanceof java.nio.file.NoSuchFileException
                                    ? "no such file"
                                    : e.getMessage()));
            return 2;
        }
        if (lines.isEmpty() && (from == null || to == null)) {
            err.println("the statement has no lines: give its period with --from and --to");
            return 2;
        }
        LocalDate periodFrom =
                from != null
                        ? LocalDate.parse(from)
                        : lines.stream()
                                .map(StatementLine::valueDate)
                                .min(LocalDate::compareTo)
                                .get();
        LocalDate periodTo =
                to != null
                        ? LocalDate.parse(to)
                        : lines.stream()
                                .map(StatementLine::valueDate)
                                .max(LocalDate::compareTo)
                                .get();
        Instant now = clock.instant();
        List<Result> results;
        try (Connection pg =
                DriverManager.getConnection(
                        postgres.url(), postgres.user(), postgres.password().reveal())) {
            List<LedgerMovement> movements =
                    StatementTables.movements(
                            pg, periodFrom.minusDays(tolerance), periodTo.plusDays(tolerance));
            results = StatementMatcher.match(lines, movements, tolerance, periodFrom, periodTo);
            StatementTables.replacePostgres(pg, statementId, lines, results, now);
            try (Connection ch =
                    new ClickHouseTarget(
                                    clickHouse.url(),
                                    clickHouse.database(),
                                    clickHouse.user(),
                                    clickHouse.password().reveal())
                            .connect()) {
                StatementTables.replaceClickHouse(ch, statementId, results, now);
            }
        } catch (Exception e) {
            err.println("could not match the statement: " + e);
            return 2;
        }
        Map<String, Integer> counts = new TreeMap<>();
        results.forEach(r -> counts.merge(r.result(), 1, Integer::sum));
        out.printf(
                "statement %s, %s to %s: %d lines; %s%n",
                statementId, periodFrom, periodTo, lines.size(), counts);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (Result r : results) {
            if (!r.result().equals(Result.MATCHED)) {
                out.printf(
                        "  %s %s %d %s, %s, %d days old%n",
                        r.result(),
                        r.item(),
                        r.line() != null ? r.line().amountMinor() : r.movement().amountMinor(),
                        r.line() != null ? r.line().currency() : r.movement().currency(),
                        r.itemDate(),
                        ChronoUnit.DAYS.between(r.itemDate(), today));
            }
        }
        return counts.keySet().stream().allMatch(Result.MATCHED::equals) ? 0 : 1;
    }
}
