package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.avro.TransactionResult;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The windowed aggregates graph on the ledger's decided results (design and trade-offs: {@code
 * DISCUSSION.md} next to this class).
 *
 * <pre>
 * results ─▶ terminal only ─▶ event time + watermarks ─┬─▶ partner view ─▶ 1m ─▶ 5m ─▶ 15m ─▶ 1h ─▶ 1d
 *                                                      └─▶ account views ─▶ 1h ─▶ 1d
 * every level ─▶ ClickHouse window_aggregates; 1h and 1d ─▶ PostgreSQL window_aggregates
 * too late for 1m (partner) or 1h (account) ─▶ counted ─▶ late_transactions (both stores)
 * </pre>
 *
 * Only the first level of each cascade reads decisions; every level above it is computed from the
 * rows of the level below, keeping the latest revision of each child window ({@link
 * CascadingWindows}: one keyed operator per scope).
 */
public final class WindowedAggregates {

    private static final TypeInformation<Movement> MOVEMENT = TypeInformation.of(Movement.class);
    private static final TypeInformation<WindowAggregate> ROW =
            TypeInformation.of(WindowAggregate.class);

    static final OutputTag<Movement> LATE_FOR_PARTNER =
            new OutputTag<>("late-for-partner-minutes", MOVEMENT);
    static final OutputTag<Movement> LATE_FOR_ACCOUNT =
            new OutputTag<>("late-for-account-hours", MOVEMENT);

    static final List<AggregateLevel> PARTNER_LEVELS =
            List.of(
                    AggregateLevel.MINUTE,
                    AggregateLevel.FIVE_MINUTES,
                    AggregateLevel.FIFTEEN_MINUTES,
                    AggregateLevel.HOUR,
                    AggregateLevel.DAY);
    static final List<AggregateLevel> ACCOUNT_LEVELS =
            List.of(AggregateLevel.HOUR, AggregateLevel.DAY);

    /**
     * The partner levels that show early figures while open: the ones a person waits for (a minute
     * closes within a minute anyway). Accounts have none: a million accounts' open hours every few
     * seconds would cost more than the whole partner view, for figures nobody watches live.
     */
    static final List<AggregateLevel> PARTNER_EARLY_LEVELS =
            List.of(AggregateLevel.HOUR, AggregateLevel.DAY);

    private WindowedAggregates() {}

    /** Adds the aggregates to the graph of {@code results}. */
    public static AggregateStreams define(
            DataStream<TransactionResult> results, AggregatesConfig config) {
        DataStream<TransactionResult> decided =
                results.filter(Movement::isTerminal)
                        .uid("aggregates-terminal-decisions")
                        .name("Aggregates: terminal decisions")
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<TransactionResult>forBoundedOutOfOrderness(
                                                config.outOfOrderness())
                                        .withTimestampAssigner(
                                                (r, previous) -> r.getEventTime().toEpochMilli())
                                        .withIdleness(config.idleness()))
                        .uid("aggregates-event-time")
                        .name("Aggregates: event time and watermarks");

        SingleOutputStreamOperator<WindowAggregate> partner =
                cascade(
                        decided.map(Movement::forPartner)
                                .returns(MOVEMENT)
                                .uid("aggregates-partner-view")
                                .name("Aggregates: partner view"),
                        PARTNER_LEVELS,
                        PARTNER_EARLY_LEVELS,
                        Movement.Scope.PARTNER,
                        LATE_FOR_PARTNER,
                        config);
        SingleOutputStreamOperator<WindowAggregate> account =
                cascade(
                        decided.flatMap(
                                        (TransactionResult r, Collector<Movement> out) ->
                                                Movement.forAccounts(r).forEach(out::collect))
                                .returns(MOVEMENT)
                                .uid("aggregates-account-views")
                                .name("Aggregates: account views"),
                        ACCOUNT_LEVELS,
                        List.of(),
                        Movement.Scope.ACCOUNT,
                        LATE_FOR_ACCOUNT,
                        config);
        DataStream<WindowAggregate> rows = partner.union(account);

        return new AggregateStreams(
                rows,
                rows.filter(row -> isInReadModel(row.level))
                        .uid("aggregates-hourly-daily")
                        .name("Aggregates: hourly and daily views")
                        .keyBy(WindowAggregate::key, Types.STRING),
                partner.getSideOutput(LATE_FOR_PARTNER)
                        .union(account.getSideOutput(LATE_FOR_ACCOUNT)));
    }

    /** One scope's levels, keyed by the scope's key, in one {@link CascadingWindows} operator. */
    static SingleOutputStreamOperator<WindowAggregate> cascade(
            DataStream<Movement> movements,
            List<AggregateLevel> levels,
            List<AggregateLevel> early,
            String scope,
            OutputTag<Movement> late,
            AggregatesConfig config) {
        return movements
                .keyBy(Movement::key, Types.STRING)
                .process(
                        new CascadingWindows(
                                levels,
                                config.allowedLateness().toMillis(),
                                late,
                                early,
                                config.earlyFigures().toMillis()),
                        ROW)
                .uid("aggregates-" + scope + "-windows")
                .name("Aggregates: " + scope + " windows " + labels(levels));
    }

    private static String labels(List<AggregateLevel> levels) {
        StringBuilder s = new StringBuilder();
        for (AggregateLevel level : levels) {
            s.append(s.length() == 0 ? "" : "→").append(level.label());
        }
        return s.toString();
    }

    private static boolean isInReadModel(String label) {
        for (AggregateLevel level : AggregateLevel.values()) {
            if (level.label().equals(label)) {
                return level.inReadModel();
            }
        }
        return false;
    }
}
