package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.sinks.clickhouse.AnalyticsTables;
import io.ledgerflow.sinks.clickhouse.ClickHouseTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** The ClickHouse tables of {@code V2__aggregates.sql} and how aggregate rows fill them. */
public final class AggregateTables {

    private AggregateTables() {}

    /**
     * Every level's rows into {@code window_aggregates}, versioned by {@link
     * WindowAggregate#version()}.
     */
    public static final ClickHouseTable<WindowAggregate> WINDOW_AGGREGATES =
            new ClickHouseTable<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public String insertSql() {
                    return "INSERT INTO window_aggregates (scope, level, window_start, window_end,"
                            + " partner_id, currency, account_id, movements, total_minor,"
                            + " min_minor, max_minor, approved, approved_minor, rejected,"
                            + " rejections_by_reason, distinct_counterparties, version)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                }

                @Override
                public void bind(PreparedStatement ps, WindowAggregate row) throws SQLException {
                    WindowFigures f = row.figures;
                    ps.setString(1, f.scope);
                    ps.setString(2, row.level);
                    ps.setString(
                            3, AnalyticsTables.time(Instant.ofEpochMilli(row.windowStartMillis)));
                    ps.setString(
                            4, AnalyticsTables.time(Instant.ofEpochMilli(row.windowEndMillis)));
                    ps.setString(5, f.partnerId);
                    ps.setString(6, f.currency);
                    ps.setString(7, f.accountId);
                    ps.setLong(8, f.movements);
                    AggregateStatements.bindSum(ps, 9, f.totalMinorHigh, f.totalMinor);
                    ps.setLong(10, f.minMinor);
                    ps.setLong(11, f.maxMinor);
                    ps.setLong(12, f.approved);
                    AggregateStatements.bindSum(ps, 13, f.approvedMinorHigh, f.approvedMinor);
                    ps.setLong(14, f.rejected);
                    // The driver writes a java.util.Map as a Map literal: {'REASON': n, ...}.
                    ps.setObject(15, f.rejectionsByReasonName());
                    ps.setLong(16, f.distinctCounterparties());
                    ps.setLong(17, row.version());
                }
            };

    /** Decisions beyond the allowed lateness into {@code late_transactions}. */
    public static final ClickHouseTable<Movement> LATE_TRANSACTIONS =
            new ClickHouseTable<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public String insertSql() {
                    return "INSERT INTO late_transactions (scope, partner_id, account_id,"
                            + " transaction_id, type, status, reason, amount_minor, currency,"
                            + " event_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                }

                @Override
                public void bind(PreparedStatement ps, Movement m) throws SQLException {
                    ps.setString(1, m.scope);
                    ps.setString(2, m.partnerId);
                    ps.setString(3, m.accountId);
                    ps.setString(4, m.transactionId);
                    ps.setString(5, m.type);
                    ps.setString(6, m.status);
                    ps.setString(7, m.reason == null ? "" : m.reason);
                    ps.setLong(8, m.amountMinor);
                    ps.setString(9, m.currency);
                    ps.setString(10, AnalyticsTables.time(Instant.ofEpochMilli(m.eventTimeMillis)));
                }
            };
}
