package io.ledgerflow.sinks.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.sinks.clickhouse.AnalystQueries;
import io.ledgerflow.sinks.clickhouse.ClickHouseMigrations;
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code import-statement} command against the real stores: a CSV statement whose lines match
 * the ledger's deposits and withdrawals by reference (external reference or transaction id) and by
 * amount and date within the tolerance, one line the ledger does not have (an extra bank line) and
 * one withdrawal the bank does not show (a missing bank line). Each result lands in PostgreSQL and
 * ClickHouse with its age; importing the statement again replaces its rows.
 */
@ExtendWith({PostgresExtension.class, ClickHouseExtension.class})
class StatementReconciliationITCase {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void linesAndMovementsAreMatchedAndTheExceptionsStoredWithTheirAge(
            PostgresServer postgres, ClickHouseServer clickHouse, @TempDir Path dir)
            throws Exception {
        String pgUrl = StoreRows.createDatabase(postgres, "statement_it");
        PostgresMigrations.apply(pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
        ClickHouseTarget ch =
                new ClickHouseTarget(
                        "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                        "statement_it",
                        "default",
                        "");
        try (Connection c = ch.connectToServer()) {
            c.createStatement().execute("DROP DATABASE IF EXISTS statement_it");
        }
        ClickHouseMigrations.apply(ch);
        try (Connection c = pg(pgUrl)) {
            movement(
                    c, "p1", "d1", "DEPOSIT", "COMPLETED", 10_000, "2026-12-01T09:00:00Z", "INV-1");
            movement(
                    c, "p1", "w1", "WITHDRAWAL", "COMPLETED", 25_000, "2026-12-02T15:00:00Z", null);
            movement(c, "p2", "d2", "DEPOSIT", "COMPLETED", 7_550, "2026-12-03T08:00:00Z", null);
            // The bank does not show this payout: a missing bank line.
            movement(c, "p2", "w2", "WITHDRAWAL", "COMPLETED", 4_000, "2026-12-03T10:00:00Z", null);
            // In the tolerance margin before the period, 5 days from the 30.00 line: no match,
            // and not reported (it belongs to the previous statement).
            movement(c, "p1", "w3", "WITHDRAWAL", "COMPLETED", 3_000, "2026-11-29T10:00:00Z", null);
            // Not completed: never on a statement.
            movement(c, "p1", "w4", "WITHDRAWAL", "REJECTED", 99_900, "2026-12-03T10:00:00Z", null);
        }
        Path csv = dir.resolve("statement.csv");
        Files.writeString(
                csv,
                String.join(
                        "\n",
                        "date,amount,currency,reference,description,direction",
                        "2026-12-02,100.00,EUR,INV-1,\"Deposit, Acme\",CREDIT",
                        "2026-12-04,250.00,EUR,BANKREF-77,Payout p1,DEBIT",
                        "2026-12-03,75.50,EUR,d2,Deposit p2,CREDIT",
                        "2026-12-03,999.00,EUR,UNKNOWN,\"Who is \"\"this\"\"?\",CREDIT",
                        "2026-12-04,30.00,EUR,BANKREF-78,Payout,DEBIT",
                        ""),
                StandardCharsets.UTF_8);
        String[] args = {
            "--statement-id",
            "bank-2026-12-w1",
            "--file",
            csv.toString(),
            "--tolerance",
            "2d",
            "--postgres-url",
            pgUrl,
            "--postgres-user",
            PostgresServer.USER,
            "--postgres-password",
            PostgresServer.PASSWORD,
            "--clickhouse-url",
            ch.url(),
            "--clickhouse-database",
            ch.database()
        };

        for (int run = 1; run <= 2; run++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status =
                    StatementImportMain.run(
                            args,
                            Map.of(),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            Clock.fixed(NOW.plusSeconds(run), ZoneOffset.UTC));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(printed).isEqualTo(1);
            assertThat(printed)
                    .contains(
                            "5 lines; {MATCHED=3, UNMATCHED_LEDGER_MOVEMENT=1,"
                                    + " UNMATCHED_STATEMENT_LINE=2}",
                            "UNMATCHED_STATEMENT_LINE line:5 99900 EUR, 2026-12-03, 4 days old",
                            "UNMATCHED_STATEMENT_LINE line:6 3000 EUR, 2026-12-04, 3 days old",
                            "UNMATCHED_LEDGER_MOVEMENT tx:p2/w2 4000 EUR, 2026-12-03, 4 days old");

            List<String> expected =
                    List.of(
                            "line:2|MATCHED|REFERENCE|2|p1|d1|DEPOSIT|10000|EUR|2026-12-02|INV-1",
                            "line:3|MATCHED|AMOUNT_DATE|3|p1|w1|WITHDRAWAL|25000|EUR|2026-12-04"
                                    + "|BANKREF-77",
                            "line:4|MATCHED|REFERENCE|4|p2|d2|DEPOSIT|7550|EUR|2026-12-03|d2",
                            "line:5|UNMATCHED_STATEMENT_LINE||5||||99900|EUR|2026-12-03|UNKNOWN",
                            "line:6|UNMATCHED_STATEMENT_LINE||6||||3000|EUR|2026-12-04|BANKREF-78",
                            "tx:p2/w2|UNMATCHED_LEDGER_MOVEMENT|||p2|w2|WITHDRAWAL|4000|EUR"
                                    + "|2026-12-03|");
            try (Connection c = pg(pgUrl)) {
                assertThat(
                                StoreRows.query(
                                        c,
                                        "SELECT item, result, matched_by, line_number, partner_id,"
                                                + " transaction_id, movement_type, amount_minor,"
                                                + " currency, item_date, reference"
                                                + " FROM statement_matches ORDER BY item"))
                        .as("PostgreSQL, import " + run)
                        .containsExactlyElementsOf(expected);
                assertThat(
                                StoreRows.query(
                                        c,
                                        "SELECT line_number, description FROM statement_lines"
                                                + " WHERE line_number IN (2, 5) ORDER BY 1"))
                        .containsExactly("2|Deposit, Acme", "5|Who is \"this\"?");
            }
            try (Connection c = ch.connect()) {
                assertThat(
                                StoreRows.query(
                                        c,
                                        "SELECT item, result, matched_by, line_number, partner_id,"
                                                + " transaction_id, movement_type, amount_minor,"
                                                + " currency, item_date, reference"
                                                + " FROM statement_matches FINAL ORDER BY item"))
                        .as("ClickHouse, import " + run)
                        .containsExactlyElementsOf(expected);
                assertThat(StoreRows.query(c, AnalystQueries.STATEMENT_EXCEPTIONS_BY_AGE.sql()))
                        .containsExactly(
                                "bank-2026-12-w1|UNMATCHED_LEDGER_MOVEMENT|EUR|1|4000|2026-12-03|4",
                                "bank-2026-12-w1|UNMATCHED_STATEMENT_LINE|EUR|2|102900|2026-12-03"
                                        + "|4");
            }
        }

        // The same bookings as an ISO 20022 camt.053 statement: the same outcome.
        Path xml = dir.resolve("statement.xml");
        try (var in = getClass().getResourceAsStream("/reconcile/camt053-statement.xml")) {
            Files.copy(in, xml);
        }
        String[] camt = args.clone();
        camt[1] = "bank-2026-12-w1-camt";
        camt[3] = xml.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status =
                StatementImportMain.run(
                        camt,
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        Clock.fixed(NOW, ZoneOffset.UTC));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isEqualTo(1);
        assertThat(printed)
                .contains(
                        "5 lines; {MATCHED=3, UNMATCHED_LEDGER_MOVEMENT=1, UNMATCHED_STATEMENT_LINE=2}",
                        "UNMATCHED_STATEMENT_LINE line:4 99900 EUR, 2026-12-03, 4 days old",
                        "UNMATCHED_STATEMENT_LINE line:5 3000 EUR, 2026-12-04, 3 days old",
                        "UNMATCHED_LEDGER_MOVEMENT tx:p2/w2 4000 EUR, 2026-12-03, 4 days old");
        try (Connection c = pg(pgUrl)) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT item, matched_by, transaction_id FROM statement_matches"
                                            + " WHERE statement_id = 'bank-2026-12-w1-camt'"
                                            + " AND result = 'MATCHED' ORDER BY item"))
                    .containsExactly(
                            "line:1|REFERENCE|d1", "line:2|AMOUNT_DATE|w1", "line:3|REFERENCE|d2");
        }
    }

    private static Connection pg(String url) throws Exception {
        return DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static void movement(
            Connection c,
            String partner,
            String id,
            String type,
            String status,
            long amount,
            String eventTime,
            String externalReference)
            throws Exception {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO transactions (partner_id, transaction_id, type, status,"
                                + " status_rank, amount_minor, currency, event_time,"
                                + " received_time, decided_time, external_reference)"
                                + " VALUES (?, ?, ?, ?, 1, ?, 'EUR', ?, ?, ?, ?)")) {
            Timestamp t = Timestamp.from(Instant.parse(eventTime));
            ps.setString(1, partner);
            ps.setString(2, id);
            ps.setString(3, type);
            ps.setString(4, status);
            ps.setLong(5, amount);
            ps.setTimestamp(6, t);
            ps.setTimestamp(7, t);
            ps.setTimestamp(8, t);
            ps.setString(9, externalReference);
            ps.executeUpdate();
        }
    }
}
