package io.ledgerflow.sinks.aggregates;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a child row that a parent level found beyond its allowed lateness ends: counted in {@value
 * #METRIC} and logged. This cannot happen while watermarks advance normally (a child row is emitted
 * while its own window is within the lateness, and the parent window ends no earlier and has the
 * same lateness); it can after a Kafka partition that was idle comes back. The decisions inside are
 * in the child level's row either way; only the parent misses them.
 */
final class CountLateChildRows extends RichFlatMapFunction<WindowAggregate, WindowAggregate> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(CountLateChildRows.class);

    static final String METRIC = "lateChildRows";

    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter(METRIC);
    }

    @Override
    public void flatMap(WindowAggregate row, Collector<WindowAggregate> out) {
        late.inc();
        LOG.warn(
                "A {} row of {} for window start {} (version {}) reached its parent level too"
                        + " late; the parent misses it",
                row.level,
                row.key(),
                row.windowStartMillis,
                row.version());
    }
}
