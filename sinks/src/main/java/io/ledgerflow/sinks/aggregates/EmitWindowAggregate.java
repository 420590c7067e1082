package io.ledgerflow.sinks.aggregates;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's figures into a row of its level. Called at the on-time firing (the watermark
 * passed the window's end) and again for every late decision within the allowed lateness, each time
 * with the window's complete figures so far: the later row replaces the earlier one.
 */
final class EmitWindowAggregate
        extends ProcessWindowFunction<WindowFigures, WindowAggregate, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private final AggregateLevel level;

    EmitWindowAggregate(AggregateLevel level) {
        this.level = level;
    }

    @Override
    public void process(
            String key,
            Context context,
            Iterable<WindowFigures> figures,
            Collector<WindowAggregate> out) {
        for (WindowFigures f : figures) {
            out.collect(
                    new WindowAggregate(
                            level, context.window().getStart(), context.window().getEnd(), f));
        }
    }
}
