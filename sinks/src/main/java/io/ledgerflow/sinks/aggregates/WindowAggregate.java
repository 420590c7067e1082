package io.ledgerflow.sinks.aggregates;

/**
 * One row of the aggregate views: one key's figures over one window of one level. A row is
 * identified by (level, key, window start); its {@link #version()} only grows as late decisions
 * join the window, so the stores keep the row with the highest version (ClickHouse
 * ReplacingMergeTree(version), a PostgreSQL upsert guarded by version).
 */
public class WindowAggregate {

    /** {@link AggregateLevel#label()}. */
    public String level;

    public long windowStartMillis;
    public long windowEndMillis;
    public WindowFigures figures;

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

    public String key() {
        return figures.key();
    }
}
