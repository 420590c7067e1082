package io.ledgerflow.sinks.aggregates;

import java.util.Arrays;

/**
 * A parent window's accumulator: the latest revision of each child window seen so far (at most 5,
 * 3, 4 or 24 children). A late child revision replaces its predecessor instead of adding to it,
 * which is what keeps a late decision from being counted twice on its way up the cascade. A plain
 * Flink POJO.
 */
public class LatestChildren {

    /** One entry per child window start, the highest version of each. */
    public WindowAggregate[] children = new WindowAggregate[0];

    public LatestChildren() {}

    /** Keeps {@code child} if it is a newer revision of its window (or the window's first). */
    public LatestChildren offer(WindowAggregate child) {
        for (int i = 0; i < children.length; i++) {
            if (children[i].windowStartMillis == child.windowStartMillis) {
                if (child.version() > children[i].version()) {
                    children[i] = child;
                }
                return this;
            }
        }
        WindowAggregate[] grown = Arrays.copyOf(children, children.length + 1);
        grown[children.length] = child;
        children = grown;
        return this;
    }

    /** The merge of every child's latest figures, as new figures (children stay unchanged). */
    public WindowFigures figures() {
        WindowFigures total = new WindowFigures();
        for (WindowAggregate child : children) {
            total.merge(child.figures);
        }
        return total;
    }
}
