package io.ledgerflow.sinks.aggregates;

/**
 * One row of the aggregate views: one key's figures over one window of one level. A row is
 * identified by (level, key, window start); its {@link #version()} only grows as late decisions
 * join the window, so the stores keep the row with the highest version (ClickHouse
 * ReplacingMergeTree(version), a PostgreSQL upsert guarded by version). At an equal version a
 * closed row replaces an {@link #open} one, never the other way round.
 */
public class WindowAggregate {

    /** {@link AggregateLevel#label()}. */
    public String level;

    public long windowStartMillis;
    public long windowEndMillis;
    public WindowFigures figures;

    /**
     * True for an early figure of a window that has not closed yet (issue 18): what it holds so
     * far, replaced by later early figures and by the window's row when it closes. False for a
     * closed window's row and its late revisions.
     */
    public boolean open;

    public WindowAggregate() {}

    public WindowAggregate(AggregateLevel level, long start, long end, WindowFigures figures) {
        this.level = level.label();
        this.windowStartMillis = start;
        this.windowEndMillis = end;
        this.figures = figures;
    }

    /**
     * The number of decisions in the row. Every revision of a window adds at least one decision (a
     * late one), and a parent level sums its children's latest revisions, so the count is a version
     * that grows with every revision at every level. A replay after a restart re-emits the same
     * rows with the same versions, or newer ones (one caveat in DISCUSSION.md: watermarks are not
     * checkpointed).
     */
    public long version() {
        return figures.movements;
    }

    /** The early figure of a window that is still open: the same row, marked {@link #open}. */
    static WindowAggregate early(
            AggregateLevel level, long start, long end, WindowFigures figures) {
        WindowAggregate row = new WindowAggregate(level, start, end, figures);
        row.open = true;
        return row;
    }

    public String key() {
        return figures.key();
    }
}
