package io.ledgerflow.sinks.aggregates;

import static io.ledgerflow.sinks.columns.ColumnKind.BIGINT;
import static io.ledgerflow.sinks.columns.ColumnKind.BOOLEAN;
import static io.ledgerflow.sinks.columns.ColumnKind.EXACT;
import static io.ledgerflow.sinks.columns.ColumnKind.NAMED_VALUES;
import static io.ledgerflow.sinks.columns.ColumnKind.TEXT;
import static io.ledgerflow.sinks.columns.ColumnKind.TIME;
import static io.ledgerflow.sinks.columns.Columns.column;

import io.ledgerflow.sinks.columns.Columns;
import java.time.Instant;

/**
 * The columns of the aggregates' rows, for the PostgreSQL views ({@link AggregateStatements}) and
 * the ClickHouse tables ({@link AggregateTables}) alike.
 */
public final class AggregateColumns {

    private AggregateColumns() {}

    /**
     * A 128-bit sum ({@link Int128}) for a {@code numeric(38,0)} or {@code Decimal(38,0)} column: a
     * long while it fits one (no allocation on the common path), else the exact decimal.
     */
    static Object sum(long high, long low) {
        return high == 0 ? (Object) low : Int128.toBigDecimal(high, low);
    }

    public static final Columns<WindowAggregate> WINDOW_AGGREGATE =
            Columns.of(
                    column("scope", TEXT, row -> row.figures.scope),
                    column("level", TEXT, row -> row.level),
                    column(
                            "window_start",
                            TIME,
                            row -> Instant.ofEpochMilli(row.windowStartMillis)),
                    column("window_end", TIME, row -> Instant.ofEpochMilli(row.windowEndMillis)),
                    column("partner_id", TEXT, row -> row.figures.partnerId),
                    column("currency", TEXT, row -> row.figures.currency),
                    column("account_id", TEXT, row -> row.figures.accountId),
                    column("movements", BIGINT, row -> row.figures.movements),
                    column(
                            "total_minor",
                            EXACT,
                            row -> sum(row.figures.totalMinorHigh, row.figures.totalMinor)),
                    column("min_minor", BIGINT, row -> row.figures.minMinor),
                    column("max_minor", BIGINT, row -> row.figures.maxMinor),
                    column("approved", BIGINT, row -> row.figures.approved),
                    column(
                            "approved_minor",
                            EXACT,
                            row -> sum(row.figures.approvedMinorHigh, row.figures.approvedMinor)),
                    column("rejected", BIGINT, row -> row.figures.rejected),
                    column(
                            "rejections_by_reason",
                            NAMED_VALUES,
                            row -> row.figures.rejectionsByReasonName()),
                    column(
                            "distinct_counterparties",
                            BIGINT,
                            row -> row.figures.distinctCounterparties()),
                    column("version", BIGINT, WindowAggregate::version),
                    column("open", BOOLEAN, row -> row.open));

    public static final Columns<Movement> LATE_TRANSACTION =
            Columns.of(
                    column("scope", TEXT, m -> m.scope),
                    column("partner_id", TEXT, m -> m.partnerId),
                    column("account_id", TEXT, m -> m.accountId),
                    column("transaction_id", TEXT, m -> m.transactionId),
                    column("type", TEXT, m -> m.type),
                    column("status", TEXT, m -> m.status),
                    column("reason", TEXT, m -> m.reason),
                    column("amount_minor", BIGINT, m -> m.amountMinor),
                    column("currency", TEXT, m -> m.currency),
                    column("event_time", TIME, m -> Instant.ofEpochMilli(m.eventTimeMillis)));
}
