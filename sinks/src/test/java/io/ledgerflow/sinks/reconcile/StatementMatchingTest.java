package io.ledgerflow.sinks.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.sinks.reconcile.StatementLine.Direction;
import io.ledgerflow.sinks.reconcile.StatementMatcher.Result;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statement layout and the matching rules, with no servers. */
class StatementMatchingTest {

    private static final LocalDate D1 = LocalDate.parse("2026-12-01");

    private static StatementLine line(int n, int day, Direction d, long amount, String ref) {
        return new StatementLine(n, D1.plusDays(day - 1), d, amount, "EUR", ref, "");
    }

    private static LedgerMovement tx(String id, String type, long amount, int day, String ref) {
        return new LedgerMovement("p1", id, type, amount, "EUR", D1.plusDays(day - 1), ref);
    }

    private static List<String> outcome(List<Result> results) {
        return results.stream()
                .map(
                        r ->
                                r.item()
                                        + " "
                                        + r.result()
                                        + (r.matchedBy() == null ? "" : " " + r.matchedBy())
                                        + (r.line() != null && r.movement() != null
                                                ? " " + r.movement().transactionId()
                                                : ""))
                .toList();
    }

    @Test
    void aReferenceWinsOverACloserDateAndAmountsAndDatesMatchTheRest() {
        List<StatementLine> lines =
                List.of(
                        line(2, 3, Direction.CREDIT, 500, "INV-9"),
                        line(3, 3, Direction.CREDIT, 500, "bank-1"),
                        line(4, 2, Direction.DEBIT, 700, "bank-2"));
        List<LedgerMovement> movements =
                List.of(
                        tx("a", "DEPOSIT", 500, 3, null), // same date as line 2
                        tx("b", "DEPOSIT", 500, 1, "INV-9"), // its reference, 2 days earlier
                        tx("c", "WITHDRAWAL", 700, 4, null));
        assertThat(outcome(StatementMatcher.match(lines, movements, 2, D1, D1.plusDays(3))))
                .containsExactly(
                        "line:2 MATCHED REFERENCE b",
                        "line:3 MATCHED AMOUNT_DATE a",
                        "line:4 MATCHED AMOUNT_DATE c");
    }

    @Test
    void directionCurrencyAmountAndToleranceMustAllAgree() {
        List<StatementLine> lines =
                List.of(
                        line(2, 5, Direction.DEBIT, 300, "x"), // the deposit of 300 comes in
                        line(3, 10, Direction.CREDIT, 300, "y")); // 3 days after, tolerance 2
        List<LedgerMovement> movements =
                List.of(tx("d", "DEPOSIT", 300, 7, null), tx("e", "DEPOSIT", 301, 10, null));
        assertThat(outcome(StatementMatcher.match(lines, movements, 2, D1, D1.plusDays(9))))
                .containsExactly(
                        "line:2 UNMATCHED_STATEMENT_LINE",
                        "line:3 UNMATCHED_STATEMENT_LINE",
                        "tx:p1/d UNMATCHED_LEDGER_MOVEMENT",
                        "tx:p1/e UNMATCHED_LEDGER_MOVEMENT");
        assertThat(outcome(StatementMatcher.match(lines, movements, 3, D1, D1.plusDays(9))))
                .as("with 3 days of tolerance")
                .containsExactly(
                        "line:2 UNMATCHED_STATEMENT_LINE",
                        "line:3 MATCHED AMOUNT_DATE d",
                        "tx:p1/e UNMATCHED_LEDGER_MOVEMENT");
    }

    @Test
    void twoEqualLinesTakeTwoMovementsClosestFirstAndAMovementOutsideThePeriodIsNotReported() {
        List<StatementLine> lines =
                List.of(
                        line(2, 5, Direction.CREDIT, 100, ""),
                        line(3, 5, Direction.CREDIT, 100, ""));
        List<LedgerMovement> movements =
                List.of(
                        tx("f", "DEPOSIT", 100, 4, null),
                        tx("g", "DEPOSIT", 100, 5, null),
                        tx("h", "DEPOSIT", 100, 3, null)); // day 3: before the period (4..5)
        assertThat(
                        outcome(
                                StatementMatcher.match(
                                        lines, movements, 2, D1.plusDays(3), D1.plusDays(4))))
                .containsExactly("line:2 MATCHED AMOUNT_DATE g", "line:3 MATCHED AMOUNT_DATE f");
    }

    @Test
    void theCsvLayoutIsReadWithQuotesAndMinorUnits() throws Exception {
        List<StatementLine> lines =
                StatementCsv.parse(
                        new StringReader(
                                "Direction,Date,Amount,Currency,Reference,Description\n"
                                        + "credit,2026-12-01,12.5,EUR,R1,\"a, \"\"b\"\"\"\n"
                                        + "\n"
                                        + "DEBIT,2026-12-02,100,JPY,R2,yen\n"));
        assertThat(lines)
                .containsExactly(
                        new StatementLine(2, D1, Direction.CREDIT, 1250, "EUR", "R1", "a, \"b\""),
                        new StatementLine(
                                4, D1.plusDays(1), Direction.DEBIT, 100, "JPY", "R2", "yen"));
    }

    @Test
    void everyBadLineIsNamed() {
        assertThatThrownBy(
                        () ->
                                StatementCsv.parse(
                                        new StringReader(
                                                "date,amount,currency,reference,description,direction\n"
                                                        + "2026-12-01,-5.00,EUR,R,d,CREDIT\n"
                                                        + "2026-12-01,1.234,EUR,R,d,CREDIT\n"
                                                        + "2026-13-01,1.00,EUR,R,d,CREDIT\n"
                                                        + "2026-12-01,1.00,XXY,R,d,CREDIT\n"
                                                        + "2026-12-01,1.00,EUR,R,d,SIDEWAYS\n"
                                                        + "2026-12-01,1.00,EUR,R\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2: amount -5.00 must be positive")
                .hasMessageContaining("line 3: amount 1.234 has more decimals than EUR (2)")
                .hasMessageContaining("line 4: ")
                .hasMessageContaining("line 5: currency XXY is not ISO 4217")
                .hasMessageContaining("line 6: direction SIDEWAYS is neither CREDIT nor DEBIT")
                .hasMessageContaining("line 7: 4 fields, the header has 6");
        assertThatThrownBy(() -> StatementCsv.parse(new StringReader("date,amount\n")))
                .hasMessageContaining("line 1: no column currency");
    }

    @Test
    void aCamt053StatementGivesOneLinePerBookedEntry() throws Exception {
        List<StatementLine> lines;
        try (java.io.InputStream in =
                getClass().getResourceAsStream("/reconcile/camt053-statement.xml")) {
            lines = StatementCamt053.parse(in);
        }
        assertThat(lines)
                .containsExactly(
                        new StatementLine(
                                1,
                                D1.plusDays(1),
                                Direction.CREDIT,
                                10_000,
                                "EUR",
                                "INV-1",
                                "Deposit, Acme"),
                        new StatementLine(
                                2,
                                D1.plusDays(3),
                                Direction.DEBIT,
                                25_000,
                                "EUR",
                                "BANKREF-77",
                                "Payout p1"),
                        new StatementLine(
                                3, D1.plusDays(2), Direction.CREDIT, 7_550, "EUR", "d2", ""),
                        new StatementLine(
                                4, D1.plusDays(2), Direction.CREDIT, 99_900, "EUR", "UNKNOWN", ""),
                        new StatementLine(
                                5,
                                D1.plusDays(3),
                                Direction.DEBIT,
                                3_000,
                                "EUR",
                                "BANKREF-78",
                                ""));
        assertThatThrownBy(
                        () ->
                                StatementCamt053.parse(
                                        new java.io.ByteArrayInputStream(
                                                ("<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                                                                + "<d>&x;</d>")
                                                        .getBytes(
                                                                java.nio.charset.StandardCharsets
                                                                        .UTF_8))))
                .as("external entities refused")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
