package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.sinks.columns.Columns;
import io.ledgerflow.sinks.columns.Store;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The PostgreSQL statements of the aggregate views, idempotent and monotonic like the rest of the
 * read model (see {@code ReadModelStatements}); columns from {@link AggregateColumns}.
 */
public final class AggregateStatements {

    private AggregateStatements() {}

    private static final Columns<WindowAggregate> WINDOWS = AggregateColumns.WINDOW_AGGREGATE;
    private static final Columns<Movement> LATE = AggregateColumns.LATE_TRANSACTION;

    /**
     * A window's newer revision replaces the row; an older one is a no-op. At an equal version the
     * closed row replaces an open one (early figures with as many decisions as the window ends
     * with), never the other way round.
     */
    public static final String UPSERT_WINDOW_AGGREGATE =
            """
            INSERT INTO window_aggregates (%s, durable_time)
            VALUES (%s, now())
            ON CONFLICT (scope, level, partner_id, currency, account_id, window_start)
            DO UPDATE SET %s, durable_time = now()
            WHERE window_aggregates.version < EXCLUDED.version
                OR (window_aggregates.version = EXCLUDED.version
                    AND window_aggregates.open AND NOT EXCLUDED.open)
            """
                    .formatted(
                            WINDOWS.names(),
                            WINDOWS.placeholders(Store.POSTGRES),
                            WINDOWS.without(
                                            "scope",
                                            "level",
                                            "partner_id",
                                            "currency",
                                            "account_id",
                                            "window_start")
                                    .fromExcluded());

    public static final String INSERT_LATE_TRANSACTION =
            LATE.insertInto("late_transactions", Store.POSTGRES)
                    + " ON CONFLICT (scope, partner_id, transaction_id, account_id) DO NOTHING";

    public static void bindWindowAggregate(PreparedStatement ps, WindowAggregate row)
            throws SQLException {
        WINDOWS.bind(ps, row, Store.POSTGRES);
    }

    public static void bindLateTransaction(PreparedStatement ps, Movement m) throws SQLException {
        LATE.bind(ps, m, Store.POSTGRES);
    }
}
