package io.ledgerflow.sinks.aggregates;

import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the aggregates go: every level to ClickHouse, the hourly and daily views to PostgreSQL, and
 * decisions beyond the allowed lateness to both stores' {@code late_transactions}.
 */
public record AggregateSinks(
        Sink<WindowAggregate> analyticsAggregates,
        Sink<WindowAggregate> readModelAggregates,
        Sink<Movement> analyticsLateTransactions,
        Sink<Movement> readModelLateTransactions) {}
