package io.ledgerflow.sinks.aggregates;

import org.apache.flink.api.common.functions.AggregateFunction;

/** A level above the first: the figures of a window from its child windows' latest rows. */
final class CascadeFigures
        implements AggregateFunction<WindowAggregate, LatestChildren, WindowFigures> {

    private static final long serialVersionUID = 1L;

    @Override
    public LatestChildren createAccumulator() {
        return new LatestChildren();
    }

    @Override
    public LatestChildren add(WindowAggregate child, LatestChildren latest) {
        return latest.offer(child);
    }

    @Override
    public WindowFigures getResult(LatestChildren latest) {
        return latest.figures();
    }

    @Override
    public LatestChildren merge(LatestChildren a, LatestChildren b) {
        for (WindowAggregate child : b.children) {
            a.offer(child);
        }
        return a;
    }
}
