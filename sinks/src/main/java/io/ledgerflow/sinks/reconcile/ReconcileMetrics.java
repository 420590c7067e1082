package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.sinks.reconcile.Finding.Kind;
import io.ledgerflow.sinks.reconcile.ReconcileCommand.Round;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The reconciliation's figures in Prometheus' text format, as of the last round: open mismatches
 * per kind (every kind, zeros included, so an alert's series exists before anything goes wrong),
 * the age of the oldest open one, when the last round ended and how many entries were read.
 */
final class ReconcileMetrics {

    private volatile String text = "";
    private long entriesRead;

    void update(Round round) {
        entriesRead += round.entriesRead();
        StringBuilder b = new StringBuilder();
        b.append("# HELP ledgerflow_reconciliation_open_mismatches Mismatches open, by kind.\n");
        b.append("# TYPE ledgerflow_reconciliation_open_mismatches gauge\n");
        for (Kind kind : Kind.values()) {
            b.append("ledgerflow_reconciliation_open_mismatches{kind=\"")
                    .append(kind.name())
                    .append("\"} ")
                    .append(round.open().open().getOrDefault(kind, 0L))
                    .append('\n');
        }
        Instant oldest = round.open().oldestFirstSeen();
        double age = oldest == null ? 0 : Duration.between(oldest, round.at()).toMillis() / 1000.0;
        b.append("# HELP ledgerflow_reconciliation_oldest_open_age_seconds Age of the oldest open")
                .append(" mismatch (0 when none).\n");
        b.append("# TYPE ledgerflow_reconciliation_oldest_open_age_seconds gauge\n");
        b.append("ledgerflow_reconciliation_oldest_open_age_seconds ")
                .append(String.format(Locale.ROOT, "%.3f", Math.max(0, age)))
                .append('\n');
        b.append("# HELP ledgerflow_reconciliation_last_round_timestamp_seconds When the last")
                .append(" round ended.\n");
        b.append("# TYPE ledgerflow_reconciliation_last_round_timestamp_seconds gauge\n");
        b.append("ledgerflow_reconciliation_last_round_timestamp_seconds ")
                .append(String.format(Locale.ROOT, "%.3f", round.at().toEpochMilli() / 1000.0))
                .append('\n');
        b.append("# HELP ledgerflow_reconciliation_entries_read_total Committed entries read.\n");
        b.append("# TYPE ledgerflow_reconciliation_entries_read_total counter\n");
        b.append("ledgerflow_reconciliation_entries_read_total ").append(entriesRead).append('\n');
        text = b.toString();
    }

    String text() {
        return text;
    }
}
