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
        Sink<Movement> readModelLateTransactions) {

    /** Sends the aggregates' rows and late decisions to the four sinks. */
    public void wire(AggregateStreams rows) {
        rows.analyticsAggregates()
                .sinkTo(analyticsAggregates)
                .uid("analytics-window-aggregates")
                .name("Analytics: window aggregates");
        rows.readModelAggregates()
                .sinkTo(readModelAggregates)
                .uid("read-model-window-aggregates")
                .name("Read model: window aggregates");
        rows.lateTransactions()
                .sinkTo(analyticsLateTransactions)
                .uid("analytics-late-transactions")
                .name("Analytics: late transactions");
        rows.lateTransactions()
                .sinkTo(readModelLateTransactions)
                .uid("read-model-late-transactions")
                .name("Read model: late transactions");
    }
}
