package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.sinks.clickhouse.ClickHouseTable;

/** The ClickHouse tables of {@code V2__aggregates.sql} and the columns that fill them. */
public final class AggregateTables {

    private AggregateTables() {}

    /**
     * Every level's rows into {@code window_aggregates}, versioned by {@link
     * WindowAggregate#version()}.
     */
    public static final ClickHouseTable<WindowAggregate> WINDOW_AGGREGATES =
            ClickHouseTable.of("window_aggregates", AggregateColumns.WINDOW_AGGREGATE);

    /** Decisions beyond the allowed lateness into {@code late_transactions}. */
    public static final ClickHouseTable<Movement> LATE_TRANSACTIONS =
            ClickHouseTable.of("late_transactions", AggregateColumns.LATE_TRANSACTION);
}
