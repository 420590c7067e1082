package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.avro.TransactionResult;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The windowed aggregates graph on the ledger's decided results (design: {@code DISCUSSION.md} in
 * the sinks package, "Windowed aggregates").
 *
 * <pre>
 * results ─▶ terminal only ─▶ event time + watermarks ─┬─▶ partner view ─▶ 1m ─▶ 5m ─▶ 15m ─▶ 1h ─▶ 1d
 *                                                      └─▶ account views ─▶ 1h ─▶ 1d
 * every level ─▶ ClickHouse window_aggregates; 1h and 1d ─▶ PostgreSQL window_aggregates
 * too late for 1m (partner) or 1h (account) ─▶ counted ─▶ late_transactions (both stores)
 * </pre>
 *
 * Only the first level of each cascade reads decisions; every level above it is a tumbling window
 * over the rows of the level below, keeping the latest revision of each child window.
 */
public final class WindowedAggregates {

    private static final TypeInformation<Movement> MOVEMENT = TypeInformation.of(Movement.class);
    private static final TypeInformation<WindowAggregate> ROW =
            TypeInformation.of(WindowAggregate.class);

    static final OutputTag<Movement> LATE_FOR_PARTNER =
            new OutputTag<>("late-for-partner-minutes", MOVEMENT);
    static final OutputTag<Movement> LATE_FOR_ACCOUNT =
            new OutputTag<>("late-for-account-hours", MOVEMENT);

    private static final List<AggregateLevel> PARTNER_CASCADE =
            List.of(
                    AggregateLevel.FIVE_MINUTES,
                    AggregateLevel.FIFTEEN_MINUTES,
                    AggregateLevel.HOUR,
                    AggregateLevel.DAY);

    private WindowedAggregates() {}

    /** Adds the aggregates to the graph of {@code results} and sends them to {@code sinks}. */
    public static void define(
            DataStream<TransactionResult> results, AggregatesConfig config, AggregateSinks sinks) {
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

        SingleOutputStreamOperator<WindowAggregate> partnerMinutes =
                firstLevel(
                        decided.map(Movement::forPartner)
                                .returns(MOVEMENT)
                                .uid("aggregates-partner-view")
                                .name("Aggregates: partner view"),
                        AggregateLevel.MINUTE,
                        Movement.Scope.PARTNER,
                        LATE_FOR_PARTNER,
                        config);
        DataStream<WindowAggregate> rows = partnerMinutes;
        DataStream<WindowAggregate> child = partnerMinutes;
        for (AggregateLevel level : PARTNER_CASCADE) {
            child = cascade(child, level, Movement.Scope.PARTNER, config);
            rows = rows.union(child);
        }

        SingleOutputStreamOperator<WindowAggregate> accountHours =
                firstLevel(
                        decided.flatMap(
                                        (TransactionResult r,
                                                org.apache.flink.util.Collector<Movement> out) ->
                                                Movement.forAccounts(r).forEach(out::collect))
                                .returns(MOVEMENT)
                                .uid("aggregates-account-views")
                                .name("Aggregates: account views"),
                        AggregateLevel.HOUR,
                        Movement.Scope.ACCOUNT,
                        LATE_FOR_ACCOUNT,
                        config);
        DataStream<WindowAggregate> accountDays =
                cascade(accountHours, AggregateLevel.DAY, Movement.Scope.ACCOUNT, config);
        rows = rows.union(accountHours, accountDays);

        rows.sinkTo(sinks.analyticsAggregates())
                .uid("analytics-window-aggregates")
                .name("Analytics: window aggregates");
        rows.filter(row -> isInReadModel(row.level))
                .uid("aggregates-hourly-daily")
                .name("Aggregates: hourly and daily views")
                .keyBy(WindowAggregate::key, Types.STRING)
                .sinkTo(sinks.readModelAggregates())
                .uid("read-model-window-aggregates")
                .name("Read model: window aggregates");

        DataStream<Movement> late =
                partnerMinutes
                        .getSideOutput(LATE_FOR_PARTNER)
                        .union(accountHours.getSideOutput(LATE_FOR_ACCOUNT))
                        .map(new CountLateMovements())
                        .returns(MOVEMENT)
                        .uid("aggregates-late-transactions")
                        .name("Aggregates: late transactions");
        late.sinkTo(sinks.analyticsLateTransactions())
                .uid("analytics-late-transactions")
                .name("Analytics: late transactions");
        late.sinkTo(sinks.readModelLateTransactions())
                .uid("read-model-late-transactions")
                .name("Read model: late transactions");
    }

    static SingleOutputStreamOperator<WindowAggregate> firstLevel(
            DataStream<Movement> movements,
            AggregateLevel level,
            String scope,
            OutputTag<Movement> late,
            AggregatesConfig config) {
        return movements
                .keyBy(Movement::key, Types.STRING)
                .window(TumblingEventTimeWindows.of(level.size()))
                .allowedLateness(config.allowedLateness())
                .sideOutputLateData(late)
                .aggregate(
                        new MovementFigures(),
                        new EmitWindowAggregate(level),
                        TypeInformation.of(WindowFigures.class),
                        TypeInformation.of(WindowFigures.class),
                        ROW)
                .uid(uid(scope, level))
                .name(name(scope, level));
    }

    static SingleOutputStreamOperator<WindowAggregate> cascade(
            DataStream<WindowAggregate> children,
            AggregateLevel level,
            String scope,
            AggregatesConfig config) {
        OutputTag<WindowAggregate> late =
                new OutputTag<>("late-children-" + scope + "-" + level.label(), ROW);
        SingleOutputStreamOperator<WindowAggregate> parents =
                children.keyBy(WindowAggregate::key, Types.STRING)
                        .window(TumblingEventTimeWindows.of(level.size()))
                        // The same lateness as the children's: a child row is emitted only while
                        // its window is within it, and the parent window ends no earlier.
                        .allowedLateness(config.allowedLateness())
                        .sideOutputLateData(late)
                        .aggregate(
                                new CascadeFigures(),
                                new EmitWindowAggregate(level),
                                TypeInformation.of(LatestChildren.class),
                                TypeInformation.of(WindowFigures.class),
                                ROW)
                        .uid(uid(scope, level))
                        .name(name(scope, level));
        parents.getSideOutput(late)
                .flatMap(new CountLateChildRows())
                .returns(ROW)
                .uid(uid(scope, level) + "-late-children")
                .name(name(scope, level) + " late child rows");
        return parents;
    }

    private static boolean isInReadModel(String label) {
        for (AggregateLevel level : AggregateLevel.values()) {
            if (level.label().equals(label)) {
                return level.inReadModel();
            }
        }
        return false;
    }

    private static String uid(String scope, AggregateLevel level) {
        return "aggregates-" + scope + "-" + level.label();
    }

    private static String name(String scope, AggregateLevel level) {
        return "Aggregates: " + scope + " " + level.label();
    }
}
