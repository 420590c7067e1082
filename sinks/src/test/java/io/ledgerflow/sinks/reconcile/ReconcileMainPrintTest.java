package io.ledgerflow.sinks.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.sinks.reconcile.Finding.Kind;
import io.ledgerflow.sinks.reconcile.ReconcileCommand.Round;
import io.ledgerflow.sinks.reconcile.ReconciliationTables.OpenSummary;
import io.ledgerflow.sinks.reconcile.ReconciliationTables.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a round prints: a mismatch it opened and one it cleared, never one that was already open.
 * The rows' times come back from PostgreSQL in microseconds while the round's clock has nanoseconds
 * (a local run's first MISSING_IN_POSTGRES was not printed because of that).
 */
class ReconcileMainPrintTest {

    private static final Instant AT = Instant.parse("2026-12-07T20:40:34.004752787Z");
    private static final Instant STORED = AT.truncatedTo(ChronoUnit.MICROS);

    private static Finding missing(String partner) {
        return new Finding(
                Kind.MISSING_IN_POSTGRES,
                partner,
                "USD",
                Instant.parse("2026-12-07T20:39:00Z"),
                Instant.parse("2026-12-07T20:40:00Z"),
                "",
                "3 entries, amount 1621402",
                "2 entries, amount 1342077",
                "1 entries missing");
    }

    @Test
    void printsWhatTheRoundOpenedAndClearedButNotWhatStaysOpen() {
        Row opened = new Row(missing("p-new"), "OPEN", STORED, STORED, null);
        Row stillOpen = new Row(missing("p-old"), "OPEN", STORED.minusSeconds(60), STORED, null);
        Row cleared =
                new Row(
                        missing("p-fixed"),
                        "CLEARED",
                        STORED.minusSeconds(120),
                        STORED.minusSeconds(10),
                        STORED);
        Round round =
                new Round(
                        AT,
                        100,
                        185,
                        List.of(opened.finding(), stillOpen.finding()),
                        List.of(opened, stillOpen, cleared),
                        new OpenSummary(
                                Map.of(Kind.MISSING_IN_POSTGRES, 2L), STORED.minusSeconds(60)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReconcileMain.print(round, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines.get(0))
                .isEqualTo(
                        "[2026-12-07T20:40:34.004752787Z] 100 entries read, 185 windows kept, 2"
                                + " mismatches seen, 2 open");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1))
                .startsWith("  OPEN MISSING_IN_POSTGRES p-new/USD window 2026-12-07T20:39:00Z")
                .endsWith("(1 entries missing)");
        assertThat(lines.get(2)).startsWith("  CLEARED MISSING_IN_POSTGRES p-fixed/USD");
    }
}
