package io.ledgerflow.sinks.aggregates;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The PostgreSQL statements of the aggregate views, idempotent and monotonic like the rest of the
 * read model (see {@code ReadModelStatements}).
 */
public final class AggregateStatements {

    private AggregateStatements() {}

    /** A window's newer revision replaces the row; an older or equal one is a no-op. */
    public static final String UPSERT_WINDOW_AGGREGATE =
            """
            INSERT INTO window_aggregates (scope, level, window_start, window_end, partner_id,
                currency, account_id, movements, total_minor, min_minor, max_minor, approved,
                approved_minor, rejected, rejections_by_reason, distinct_counterparties, version,
                durable_time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, now())
            ON CONFLICT (scope, level, partner_id, currency, account_id, window_start)
            DO UPDATE SET
                window_end = EXCLUDED.window_end, movements = EXCLUDED.movements,
                total_minor = EXCLUDED.total_minor, min_minor = EXCLUDED.min_minor,
                max_minor = EXCLUDED.max_minor, approved = EXCLUDED.approved,
                approved_minor = EXCLUDED.approved_minor, rejected = EXCLUDED.rejected,
                rejections_by_reason = EXCLUDED.rejections_by_reason,
                distinct_counterparties = EXCLUDED.distinct_counterparties,
                version = EXCLUDED.version, durable_time = now()
            WHERE window_aggregates.version < EXCLUDED.version
            """;

    public static final String INSERT_LATE_TRANSACTION =
            """
            INSERT INTO late_transactions (scope, partner_id, account_id, transaction_id, type,
                status, reason, amount_minor, currency, event_time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (scope, partner_id, transaction_id, account_id) DO NOTHING
            """;

    public static void bindWindowAggregate(PreparedStatement ps, WindowAggregate row)
            throws SQLException {
        WindowFigures f = row.figures;
        ps.setString(1, f.scope);
        ps.setString(2, row.level);
        ps.setObject(3, time(row.windowStartMillis));
        ps.setObject(4, time(row.windowEndMillis));
        ps.setString(5, f.partnerId);
        ps.setString(6, f.currency);
        ps.setString(7, f.accountId);
        ps.setLong(8, f.movements);
        bindSum(ps, 9, f.totalMinorHigh, f.totalMinor);
        ps.setLong(10, f.minMinor);
        ps.setLong(11, f.maxMinor);
        ps.setLong(12, f.approved);
        bindSum(ps, 13, f.approvedMinorHigh, f.approvedMinor);
        ps.setLong(14, f.rejected);
        ps.setString(15, json(f.rejectionsByReasonName()));
        ps.setLong(16, f.distinctCounterparties());
        ps.setLong(17, row.version());
    }

    /**
     * Binds a 128-bit sum ({@link Int128}) to a {@code numeric(38,0)} or {@code Decimal(38,0)}
     * column: as a long while it fits one (no allocation on the common path), else exactly as a
     * decimal.
     */
    static void bindSum(PreparedStatement ps, int index, long high, long low) throws SQLException {
        if (high == 0) {
            ps.setLong(index, low);
        } else {
            ps.setBigDecimal(index, Int128.toBigDecimal(high, low));
        }
    }

    public static void bindLateTransaction(PreparedStatement ps, Movement m) throws SQLException {
        ps.setString(1, m.scope);
        ps.setString(2, m.partnerId);
        ps.setString(3, m.accountId);
        ps.setString(4, m.transactionId);
        ps.setString(5, m.type);
        ps.setString(6, m.status);
        if (m.reason == null) {
            ps.setNull(7, Types.VARCHAR);
        } else {
            ps.setString(7, m.reason);
        }
        ps.setLong(8, m.amountMinor);
        ps.setString(9, m.currency);
        ps.setObject(10, time(m.eventTimeMillis));
    }

    /** Reason codes are enum identifiers: no character in them needs JSON escaping. */
    static String json(Map<String, Long> counts) {
        StringBuilder json = new StringBuilder("{");
        counts.forEach(
                (reason, n) -> {
                    if (json.length() > 1) {
                        json.append(',');
                    }
                    json.append('"').append(reason).append("\":").append(n);
                });
        return json.append('}').toString();
    }

    private static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
