package io.ledgerflow.sinks.aggregates;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Every tumbling window level of one aggregate key, in one keyed operator: decisions go into the
 * first level's windows only; a level's window fires when the watermark passes its end and hands
 * its row to the window of the next level that contains it, which keeps the latest row of each
 * child ({@link LatestChildren}) and fires at its own end. So each level is computed from the level
 * below it, never from the decisions again.
 *
 * <p>Why one operator rather than a chain of Flink window operators: between operators a child row
 * and the watermark that fires its parent travel on different channels. When an idle input (a quiet
 * Kafka partition) becomes active again, a parent operator can take the watermark from one channel
 * before the child row from another, and then drops the row as late. Inside one operator a child is
 * always in its parent before the parent's timer runs (timers of one timestamp run level by level,
 * smallest first).
 *
 * <p>Lateness: a decision whose first-level window ended more than {@code allowedLatenessMillis}
 * before the watermark goes to the {@code late} side output (counted in {@value #LATE_METRIC}). Any
 * other late decision updates its window, which emits a new row with a higher version, and every
 * ancestor window that already fired emits its revised row too. A parent window ends no earlier
 * than its children and has the same lateness, so it is never gone while a child can still change.
 *
 * <p>State cleanup: each window's state is removed by an event-time timer at its end plus the
 * allowed lateness; nothing outlives that. At the same moment its parent stops keeping it as a
 * separate child and folds it into its settled figures ({@link LatestChildren#settle}), so a parent
 * holds only the children that can still change.
 *
 * <p>Early figures (issue 18): an hour or a day would otherwise show nothing until it closes. For
 * the levels asked, a key that received decisions emits, at most once per {@code earlyInterval} of
 * processing time, the figures so far of each of those windows still open, marked {@link
 * WindowAggregate#open}. They are computed from what the state already holds, without reading a
 * window twice: every decision of an open window is in exactly one place, either a first-level
 * window that has not fired, or the fired children kept by an open window of a level above ({@link
 * LatestChildren}), because a fired window's row is in its parent. Only keys with new decisions
 * emit, so a quiet partner costs nothing.
 */
final class CascadingWindows extends KeyedProcessFunction<String, Movement, WindowAggregate> {

    private static final long serialVersionUID = 1L;

    /** Counter of decisions beyond the allowed lateness, in this operator's metric group. */
    static final String LATE_METRIC = "lateTransactions";

    private final AggregateLevel[] levels;
    private final long allowedLatenessMillis;
    private final OutputTag<Movement> late;

    /** Levels (indexes into {@link #levels}) that emit early figures; empty for none. */
    private final int[] earlyLevels;

    /** Processing time between a key's early figures; 0 for none. */
    private final long earlyIntervalMillis;

    /** When this key's next early figures are due, if a decision came since the last ones. */
    private transient ValueState<Long> earlyDue;

    /** First level: figures by window start. */
    private transient MapState<Long, WindowFigures> firstLevel;

    /** Level i (i >= 1) at index i: latest child rows by window start; index 0 unused. */
    private transient MapState<Long, LatestChildren>[] upperLevels;

    private transient Counter lateCount;

    /**
     * @param levels the window sizes, smallest first; each must divide the next (1m, 5m, 15m, 1h,
     *     1d do)
     */
    CascadingWindows(
            List<AggregateLevel> levels, long allowedLatenessMillis, OutputTag<Movement> late) {
        this(levels, allowedLatenessMillis, late, List.of(), 0);
    }

    /**
     * @param early the levels that emit early figures while their windows are open
     * @param earlyIntervalMillis processing time between a key's early figures; 0 for none
     */
    CascadingWindows(
            List<AggregateLevel> levels,
            long allowedLatenessMillis,
            OutputTag<Movement> late,
            List<AggregateLevel> early,
            long earlyIntervalMillis) {
        this.levels = levels.toArray(new AggregateLevel[0]);
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.late = late;
        this.earlyLevels = early.stream().mapToInt(levels::indexOf).toArray();
        if (Arrays.stream(earlyLevels).anyMatch(i -> i < 0)) {
            throw new IllegalArgumentException(early + " are not all among " + levels);
        }
        this.earlyIntervalMillis = earlyLevels.length == 0 ? 0 : earlyIntervalMillis;
        for (int i = 1; i < this.levels.length; i++) {
            if (size(i) % size(i - 1) != 0) {
                throw new IllegalArgumentException(levels + " do not nest");
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(OpenContext openContext) {
        firstLevel =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "figures-" + levels[0].label(),
                                        Types.LONG,
                                        TypeInformation.of(WindowFigures.class)));
        upperLevels = new MapState[levels.length];
        for (int i = 1; i < levels.length; i++) {
            upperLevels[i] =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "children-" + levels[i].label(),
                                            Types.LONG,
                                            TypeInformation.of(LatestChildren.class)));
        }
        lateCount = getRuntimeContext().getMetricGroup().counter(LATE_METRIC);
        earlyDue =
                getRuntimeContext().getState(new ValueStateDescriptor<>("early-due", Types.LONG));
    }

    @Override
    public void processElement(Movement movement, Context ctx, Collector<WindowAggregate> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long start = windowStart(movement.eventTimeMillis, 0);
        long end = start + size(0);
        if (end - 1 + allowedLatenessMillis <= watermark) {
            lateCount.inc();
            ctx.output(late, movement);
            return;
        }
        WindowFigures figures = firstLevel.get(start);
        if (figures == null) {
            figures = new WindowFigures();
            registerCleanup(ctx, end);
        }
        registerFiring(ctx, end, watermark);
        figures.add(movement);
        firstLevel.put(start, figures);
        if (earlyIntervalMillis > 0 && earlyDue.value() == null) {
            long due = ctx.timerService().currentProcessingTime() + earlyIntervalMillis;
            ctx.timerService().registerProcessingTimeTimer(due);
            earlyDue.update(due);
        }
        if (end - 1 <= watermark) {
            // The window already fired: a late decision within the lateness revises it now.
            WindowAggregate row = new WindowAggregate(levels[0], start, end, copy(figures));
            out.collect(row);
            offerToParent(row, 1, ctx, out, watermark, watermark);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowAggregate> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            emitEarly(ctx, out);
            return;
        }
        // On-time firings, smallest level first, so that a parent ending at the same instant
        // already holds this child. The watermark may be far past this timer: a window ending
        // after the timer has not fired yet, whatever the watermark says.
        for (int i = 0; i < levels.length; i++) {
            long start = timestamp + 1 - size(i);
            WindowAggregate row = row(i, start);
            if (row != null) {
                out.collect(row);
                offerToParent(row, i + 1, ctx, out, timestamp - 1, timestamp);
            }
        }
        // Cleanup: the lateness of windows that ended allowedLateness ago has passed. Each is
        // final now, so its parent folds it into its settled figures (smallest level first: a
        // parent ending at the same instant settles the child, then goes itself).
        for (int i = 0; i < levels.length; i++) {
            long start = timestamp - allowedLatenessMillis + 1 - size(i);
            boolean existed;
            if (i == 0) {
                existed = firstLevel.contains(start);
                firstLevel.remove(start);
            } else {
                existed = upperLevels[i].contains(start);
                upperLevels[i].remove(start);
            }
            if (existed && i + 1 < levels.length) {
                long parentStart = windowStart(start, i + 1);
                LatestChildren parent = upperLevels[i + 1].get(parentStart);
                if (parent != null) {
                    upperLevels[i + 1].put(parentStart, parent.settle(start));
                }
            }
        }
    }

    /**
     * The figures so far of every open window of the early levels. Until the first watermark after
     * a start or restore nothing is known to have fired (windows that closed before a checkpoint
     * would look open), so the figures wait for it.
     */
    private void emitEarly(OnTimerContext ctx, Collector<WindowAggregate> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark == Long.MIN_VALUE) {
            long due = ctx.timerService().currentProcessingTime() + earlyIntervalMillis;
            ctx.timerService().registerProcessingTimeTimer(due);
            earlyDue.update(due);
            return;
        }
        earlyDue.clear();
        // (early level index, window start) -> figures so far; few entries: the open windows.
        Map<Long, WindowFigures>[] open = newOpenWindows();
        for (Map.Entry<Long, WindowFigures> first : firstLevel.entries()) {
            if (first.getKey() + size(0) - 1 > watermark) {
                addToEarly(open, 0, first.getKey(), first.getValue());
            }
        }
        for (int level = 1; level < levels.length; level++) {
            for (Map.Entry<Long, LatestChildren> kept : upperLevels[level].entries()) {
                if (kept.getKey() + size(level) - 1 > watermark) {
                    addToEarly(open, level, kept.getKey(), kept.getValue().figures());
                }
            }
        }
        for (int e = 0; e < earlyLevels.length; e++) {
            int level = earlyLevels[e];
            for (Map.Entry<Long, WindowFigures> w : new TreeMap<>(open[e]).entrySet()) {
                out.collect(
                        WindowAggregate.early(
                                levels[level], w.getKey(), w.getKey() + size(level), w.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Long, WindowFigures>[] newOpenWindows() {
        Map<Long, WindowFigures>[] open = new Map[earlyLevels.length];
        for (int e = 0; e < open.length; e++) {
            open[e] = new HashMap<>();
        }
        return open;
    }

    /**
     * Adds what an open window of {@code level} holds to the open early-level window containing it,
     * for each early level at or above {@code level} (a window of an early level that is itself
     * open counts its own kept children).
     */
    private void addToEarly(
            Map<Long, WindowFigures>[] open, int level, long start, WindowFigures figures) {
        for (int e = 0; e < earlyLevels.length; e++) {
            if (earlyLevels[e] >= level) {
                open[e].computeIfAbsent(
                                windowStart(start, earlyLevels[e]), s -> new WindowFigures())
                        .merge(figures);
            }
        }
    }

    /** The current row of a level's window, or null if the window has no state. */
    private WindowAggregate row(int level, long start) throws Exception {
        if (level == 0) {
            WindowFigures figures = firstLevel.get(start);
            return figures == null
                    ? null
                    : new WindowAggregate(levels[0], start, start + size(0), copy(figures));
        }
        LatestChildren children = upperLevels[level].get(start);
        return children == null
                ? null
                : new WindowAggregate(
                        levels[level], start, start + size(level), children.figures());
    }

    /**
     * Puts a child's row into its parent window; if the parent already fired (the child is a late
     * revision), the parent's revised row is emitted and goes up in turn.
     *
     * @param firedThrough windows whose last millisecond is at or before this have fired
     * @param now event time now: a new window ending after it gets an on-time timer
     */
    private void offerToParent(
            WindowAggregate child,
            int level,
            Context ctx,
            Collector<WindowAggregate> out,
            long firedThrough,
            long now)
            throws Exception {
        if (level >= levels.length) {
            return;
        }
        long start = windowStart(child.windowStartMillis, level);
        long end = start + size(level);
        LatestChildren children = upperLevels[level].get(start);
        if (children == null) {
            children = new LatestChildren();
            registerCleanup(ctx, end);
        }
        registerFiring(ctx, end, now);
        children.offer(child);
        upperLevels[level].put(start, children);
        if (end - 1 <= firedThrough) {
            WindowAggregate row =
                    new WindowAggregate(levels[level], start, end, children.figures());
            out.collect(row);
            offerToParent(row, level + 1, ctx, out, firedThrough, now);
        }
    }

    /**
     * The window's firing when the watermark passes its end, unless it has passed already.
     * Registered on every change, not only for a new window (the timer service keeps one timer per
     * timestamp): after a restore from a checkpoint the watermark starts again from nothing, and a
     * window whose firing ran before the checkpoint must fire again with what the replay adds, as
     * Flink's own event-time trigger does.
     */
    private void registerFiring(Context ctx, long end, long now) {
        if (end - 1 > now) {
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
    }

    /** The removal of a new window once its allowed lateness has passed. */
    private void registerCleanup(Context ctx, long end) {
        ctx.timerService().registerEventTimeTimer(end - 1 + allowedLatenessMillis);
    }

    private long windowStart(long timestamp, int level) {
        long size = size(level);
        return timestamp - Math.floorMod(timestamp, size);
    }

    private long size(int level) {
        return levels[level].size().toMillis();
    }

    /** Rows leave the operator; state must not be changed through them afterwards. */
    private static WindowFigures copy(WindowFigures f) {
        return new WindowFigures().merge(f);
    }
}
