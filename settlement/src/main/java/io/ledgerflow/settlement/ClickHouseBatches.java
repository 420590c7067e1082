package io.ledgerflow.settlement;

import io.ledgerflow.readmodel.settlement.BatchLine;
import io.ledgerflow.readmodel.settlement.SettlementBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The analytics copy of the batches in ClickHouse ({@code settlement_batches}, {@code
 * settlement_batch_lines}; the sinks job's migration {@code V9__settlement.sql} creates them). The
 * read model is the record; each pass copies the batches ClickHouse does not have yet, so a copy
 * that failed is made by a later pass, and a batch copied twice is one row after FINAL
 * (ReplacingMergeTree on the batch's key).
 */
final class ClickHouseBatches {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private ClickHouseBatches() {}

    /** The ids of every batch ClickHouse holds. */
    static Set<String> known(Connection ch) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Statement s = ch.createStatement();
                ResultSet r = s.executeQuery("SELECT DISTINCT batch_id FROM settlement_batches")) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        return ids;
    }

    /** Inserts the batches and their lines (two inserts). */
    static void insert(Connection ch, List<SettlementBatch> batches) throws SQLException {
        if (batches.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                ch.prepareStatement(
                        "INSERT INTO settlement_batches (batch_id, partner_id, currency,"
                                + " settlement_account_id, period_start, period_end, closed_at,"
                                + " entry_count, adjustment_count, credits_minor, debits_minor,"
                                + " refund_count, refunds_minor, fees_minor, carried_in_minor,"
                                + " net_payable_minor, payout_minor, carried_out_minor,"
                                + " content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                + " ?, ?, ?, ?, ?, ?)")) {
            for (SettlementBatch b : batches) {
                int i = 1;
                ps.setString(i++, b.batchId());
                ps.setString(i++, b.partnerId());
                ps.setString(i++, b.currency());
                ps.setString(i++, b.settlementAccountId());
                ps.setString(i++, time(b.period().start()));
                ps.setString(i++, time(b.period().end()));
                ps.setString(i++, time(b.closedAt()));
                ps.setLong(i++, b.entries().size());
                ps.setLong(i++, b.adjustmentCount());
                ps.setLong(i++, b.creditsMinor());
                ps.setLong(i++, b.debitsMinor());
                ps.setLong(i++, b.refundCount());
                ps.setLong(i++, b.refundsMinor());
                ps.setLong(i++, b.feesMinor());
                ps.setLong(i++, b.carriedInMinor());
                ps.setLong(i++, b.netPayableMinor());
                ps.setLong(i++, b.payoutMinor());
                ps.setLong(i++, b.carriedOutMinor());
                ps.setString(i, b.contentHash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                ch.prepareStatement(
                        "INSERT INTO settlement_batch_lines (batch_id, partner_id, currency,"
                                + " period_start, direction, movement_type, adjustment,"
                                + " entry_count, gross_minor, fees_minor)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (SettlementBatch b : batches) {
                for (BatchLine l : b.lines()) {
                    ps.setString(1, b.batchId());
                    ps.setString(2, b.partnerId());
                    ps.setString(3, b.currency());
                    ps.setString(4, time(b.period().start()));
                    ps.setString(5, l.direction());
                    ps.setString(6, l.movementType());
                    ps.setBoolean(7, l.adjustment());
                    ps.setLong(8, l.entryCount());
                    ps.setLong(9, l.grossMinor());
                    ps.setLong(10, l.feesMinor());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }
}
