package io.ledgerflow.sinks.aggregates;

import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The windowed aggregates' outputs, before their sinks ({@link AggregateSinks#wire}).
 *
 * @param analyticsAggregates every level's rows, for ClickHouse
 * @param readModelAggregates the hourly and daily rows, keyed by window, for PostgreSQL
 * @param lateTransactions decisions beyond the allowed lateness, for both stores
 */
public record AggregateStreams(
        DataStream<WindowAggregate> analyticsAggregates,
        DataStream<WindowAggregate> readModelAggregates,
        DataStream<Movement> lateTransactions) {}
