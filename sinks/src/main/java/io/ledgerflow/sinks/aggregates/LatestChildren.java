package io.ledgerflow.sinks.aggregates;

import java.util.Arrays;

/**
 * A parent window's accumulator: the latest revision of each child window that can still change,
 * and the merged figures of the children that cannot. A late child revision replaces its
 * predecessor instead of adding to it, which is what keeps a late decision from being counted twice
 * on its way up the cascade. Once a child's allowed lateness has passed it is final and is folded
 * into {@link #settled}, so a day keeps one or two hourly children in state, not 24 (state size is
 * what every checkpoint writes). A plain Flink POJO.
 */
public class LatestChildren {

    /** The children that may still be revised: one entry per window start, the newest of each. */
    public WindowAggregate[] children = new WindowAggregate[0];

    /** The merge of the final children; null before the first one is settled. */
    public WindowFigures settled;

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

    /**
     * The child starting at {@code childStart} is final (its lateness has passed): its figures move
     * into {@link #settled}. No-op if there is no such child.
     */
    public LatestChildren settle(long childStart) {
        for (int i = 0; i < children.length; i++) {
            if (children[i].windowStartMillis == childStart) {
                if (settled == null) {
                    settled = new WindowFigures();
                }
                settled.merge(children[i].figures);
                WindowAggregate[] shrunk = new WindowAggregate[children.length - 1];
                System.arraycopy(children, 0, shrunk, 0, i);
                System.arraycopy(children, i + 1, shrunk, i, children.length - i - 1);
                children = shrunk;
                return this;
            }
        }
        return this;
    }

    /** Settled and open children merged, as new figures (this stays unchanged). */
    public WindowFigures figures() {
        WindowFigures total = new WindowFigures();
        if (settled != null) {
            total.merge(settled);
        }
        for (WindowAggregate child : children) {
            total.merge(child.figures);
        }
        return total;
    }
}
