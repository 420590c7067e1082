package io.ledgerflow.sinks.aggregates;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Counts decisions that arrived after their window's allowed lateness, in the metric {@value
 * #METRIC} of this operator, on their way to the {@code late_transactions} tables.
 */
final class CountLateMovements extends RichMapFunction<Movement, Movement> {

    private static final long serialVersionUID = 1L;

    /** Name of the counter in the operator's metric group. */
    static final String METRIC = "lateTransactions";

    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter(METRIC);
    }

    @Override
    public Movement map(Movement movement) {
        late.inc();
        return movement;
    }
}
