package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.sinks.columns.Store;
import io.ledgerflow.sinks.reconcile.StatementMatcher.Result;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the ledger's deposits and withdrawals from the read model and stores a statement's lines
 * and match results in both stores. Importing a statement again replaces its rows (PostgreSQL in
 * one transaction; ClickHouse: its rows deleted, then written with a new version).
 */
public final class StatementTables {

    private StatementTables() {}

    /** Completed deposits and withdrawals whose event date is within {@code [from, to]} (UTC). */
    public static List<LedgerMovement> movements(Connection pg, LocalDate from, LocalDate to)
            throws SQLException {
        List<LedgerMovement> movements = new ArrayList<>();
        try (PreparedStatement ps =
                pg.prepareStatement(
                        "SELECT partner_id, transaction_id, type, amount_minor, currency,"
                                + " event_time, external_reference FROM transactions"
                                + " WHERE type IN ('DEPOSIT', 'WITHDRAWAL') AND status = 'COMPLETED'"
                                + " AND event_time >= ? AND event_time < ?")) {
            ps.setTimestamp(1, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
            ps.setTimestamp(
                    2, Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    movements.add(
                            new LedgerMovement(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getString(5).strip(),
                                    rs.getObject(6, OffsetDateTime.class)
                                            .withOffsetSameInstant(ZoneOffset.UTC)
                                            .toLocalDate(),
                                    rs.getString(7)));
                }
            }
        }
        return movements;
    }

    public static void replacePostgres(
            Connection pg,
            String statementId,
            List<StatementLine> lines,
            List<Result> results,
            Instant now)
            throws SQLException {
        boolean autoCommit = pg.getAutoCommit();
        pg.setAutoCommit(false);
        try {
            for (String table : List.of("statement_lines", "statement_matches")) {
                try (PreparedStatement ps =
                        pg.prepareStatement("DELETE FROM " + table + " WHERE statement_id = ?")) {
                    ps.setString(1, statementId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps =
                    pg.prepareStatement(
                            "INSERT INTO statement_lines (statement_id, line_number, value_date,"
                                    + " direction, amount_minor, currency, reference, description,"
                                    + " imported_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (StatementLine l : lines) {
                    ps.setString(1, statementId);
                    ps.setInt(2, l.lineNumber());
                    ps.setDate(3, Date.valueOf(l.valueDate()));
                    ps.setString(4, l.direction().name());
                    ps.setLong(5, l.amountMinor());
                    ps.setString(6, l.currency());
                    ps.setString(7, l.reference());
                    ps.setString(8, l.description());
                    ps.setTimestamp(9, Timestamp.from(now));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    pg.prepareStatement(
                            "INSERT INTO statement_matches (statement_id, item, result, matched_by,"
                                    + " line_number, partner_id, transaction_id, movement_type,"
                                    + " amount_minor, currency, item_date, reference, matched_time)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Result r : results) {
                    ps.setString(1, statementId);
                    ps.setString(2, r.item());
                    ps.setString(3, r.result());
                    ps.setString(4, r.matchedBy());
                    if (r.line() != null) {
                        ps.setInt(5, r.line().lineNumber());
                    } else {
                        ps.setNull(5, Types.INTEGER);
                    }
                    ps.setString(6, r.movement() == null ? null : r.movement().partnerId());
                    ps.setString(7, r.movement() == null ? null : r.movement().transactionId());
                    ps.setString(8, r.movement() == null ? null : r.movement().type());
                    ps.setLong(9, amount(r));
                    ps.setString(10, currency(r));
                    ps.setDate(11, Date.valueOf(r.itemDate()));
                    ps.setString(12, reference(r));
                    ps.setTimestamp(13, Timestamp.from(now));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            pg.commit();
        } catch (SQLException | RuntimeException e) {
            pg.rollback();
            throw e;
        } finally {
            pg.setAutoCommit(autoCommit);
        }
    }

    public static void replaceClickHouse(
            Connection ch, String statementId, List<Result> results, Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                ch.prepareStatement("DELETE FROM statement_matches WHERE statement_id = ?")) {
            ps.setEscapeProcessing(false);
            ps.setString(1, statementId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                ch.prepareStatement(
                        "INSERT INTO statement_matches (statement_id, item, result, matched_by,"
                                + " line_number, partner_id, transaction_id, movement_type,"
                                + " amount_minor, currency, item_date, reference, matched_time,"
                                + " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setEscapeProcessing(false);
            for (Result r : results) {
                ps.setString(1, statementId);
                ps.setString(2, r.item());
                ps.setString(3, r.result());
                ps.setString(4, r.matchedBy() == null ? "" : r.matchedBy());
                if (r.line() != null) {
                    ps.setInt(5, r.line().lineNumber());
                } else {
                    ps.setNull(5, Types.INTEGER);
                }
                ps.setString(6, r.movement() == null ? "" : r.movement().partnerId());
                ps.setString(7, r.movement() == null ? "" : r.movement().transactionId());
                ps.setString(8, r.movement() == null ? "" : r.movement().type());
                ps.setLong(9, amount(r));
                ps.setString(10, currency(r));
                ps.setString(11, r.itemDate().toString());
                ps.setString(12, reference(r));
                ps.setString(13, Store.clickHouseTime(now));
                ps.setLong(14, now.toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static long amount(Result r) {
        return r.line() != null ? r.line().amountMinor() : r.movement().amountMinor();
    }

    private static String currency(Result r) {
        return r.line() != null ? r.line().currency() : r.movement().currency();
    }

    private static String reference(Result r) {
        if (r.line() != null) {
            return r.line().reference();
        }
        return r.movement().externalReference() == null ? "" : r.movement().externalReference();
    }
}
