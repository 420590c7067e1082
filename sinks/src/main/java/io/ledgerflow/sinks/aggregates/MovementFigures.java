package io.ledgerflow.sinks.aggregates;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * The first level of a cascade: decisions into figures, incrementally (the window keeps one {@link
 * WindowFigures} per key and window, never the decisions themselves).
 */
final class MovementFigures implements AggregateFunction<Movement, WindowFigures, WindowFigures> {

    private static final long serialVersionUID = 1L;

    @Override
    public WindowFigures createAccumulator() {
        return new WindowFigures();
    }

    @Override
    public WindowFigures add(Movement movement, WindowFigures figures) {
        return figures.add(movement);
    }

    @Override
    public WindowFigures getResult(WindowFigures figures) {
        return figures;
    }

    @Override
    public WindowFigures merge(WindowFigures a, WindowFigures b) {
        return a.merge(b);
    }
}
