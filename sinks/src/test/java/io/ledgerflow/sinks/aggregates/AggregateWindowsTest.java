package io.ledgerflow.sinks.aggregates;

import static io.ledgerflow.sinks.testutils.Decisions.result;
import static io.ledgerflow.sinks.testutils.Decisions.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The aggregate window operators exactly as {@link WindowedAggregates} builds them, in operator
 * test harnesses: on-time and late firings, the late-data side output, no double counting up the
 * cascade, and state gone once a window's lateness has passed.
 */
class AggregateWindowsTest {

    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final AggregatesConfig CONFIG =
            AggregatesConfig.defaults()
                    .withTimeBounds(Duration.ofSeconds(5), Duration.ofSeconds(30), LATENESS);

    @Test
    void aMinuteFiresOnTimeThenOnceMoreForEachLateDecisionAndDropsOnlyBeyondLateness()
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> minutes =
                harness(
                        WindowedAggregates.firstLevel(
                                input(Movement.class),
                                AggregateLevel.MINUTE,
                                Movement.Scope.PARTNER,
                                WindowedAggregates.LATE_FOR_PARTNER,
                                CONFIG))) {
            minutes.open();
            process(minutes, transfer("t1", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 1_000));
            process(
                    minutes,
                    result(
                            "t2",
                            "2026-03-02T10:00:20Z",
                            "P1",
                            "EUR",
                            MovementType.TRANSFER,
                            TransactionStatus.REJECTED,
                            ReasonCode.INSUFFICIENT_FUNDS,
                            "A1",
                            "A3",
                            5_000));
            process(minutes, transfer("t3", "2026-03-02T10:01:10Z", "P1", "A2", "A1", 300));
            assertThat(minutes.extractOutputValues()).as("nothing before the watermark").isEmpty();

            minutes.processWatermark(millis("2026-03-02T10:01:00Z"));
            List<WindowAggregate> onTime = minutes.extractOutputValues();
            assertThat(onTime).hasSize(1);
            WindowAggregate first = onTime.get(0);
            assertThat(first.level).isEqualTo("1m");
            assertThat(first.windowStartMillis).isEqualTo(millis("2026-03-02T10:00:00Z"));
            assertThat(first.windowEndMillis).isEqualTo(millis("2026-03-02T10:01:00Z"));
            assertFigures(first.figures, 2, 6_000, 1_000, 5_000, 1, 1_000, 1, 3);
            assertThat(first.figures.rejectionsByReasonName())
                    .isEqualTo(Map.of("INSUFFICIENT_FUNDS", 1L));
            assertThat(first.version()).isEqualTo(2);

            // Late, within the lateness: the window fires again with everything so far.
            minutes.processWatermark(millis("2026-03-02T10:02:30Z"));
            process(minutes, transfer("t4", "2026-03-02T10:00:40Z", "P1", "A4", "A1", 50));
            List<WindowAggregate> all = minutes.extractOutputValues();
            WindowAggregate revised = all.get(all.size() - 1);
            assertThat(revised.windowStartMillis).isEqualTo(first.windowStartMillis);
            assertFigures(revised.figures, 3, 6_050, 50, 5_000, 2, 1_050, 1, 4);
            assertThat(revised.version()).isGreaterThan(first.version());

            // The watermark passes 10:00's end plus the lateness: its state goes; t5 is too late.
            minutes.processWatermark(millis("2026-03-02T10:03:00Z"));
            process(minutes, transfer("t5", "2026-03-02T10:00:50Z", "P1", "A1", "A2", 70));
            assertThat(minutes.getSideOutput(WindowedAggregates.LATE_FOR_PARTNER))
                    .extracting(r -> r.getValue().transactionId)
                    .containsExactly("t5");
            assertThat(minutes.extractOutputValues()).hasSize(all.size());

            minutes.processWatermark(millis("2026-03-02T10:04:00Z"));
            assertThat(minutes.numKeyedStateEntries())
                    .as("window contents and timers cleared after the lateness")
                    .isZero();
        }
    }

    @Test
    void aParentKeepsTheLatestRevisionOfEachChildSoALateDecisionCountsOnce() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, WindowAggregate>
                fiveMinutes =
                        harness(
                                WindowedAggregates.cascade(
                                        input(WindowAggregate.class),
                                        AggregateLevel.FIVE_MINUTES,
                                        Movement.Scope.PARTNER,
                                        CONFIG))) {
            fiveMinutes.open();
            WindowAggregate minute0 =
                    minute("10:00", transfer("a", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 100));
            WindowAggregate minute1 =
                    minute("10:01", transfer("b", "2026-03-02T10:01:05Z", "P1", "A2", "A3", 200));
            fiveMinutes.processElement(minute0, minute0.windowEndMillis - 1);
            fiveMinutes.processElement(minute1, minute1.windowEndMillis - 1);
            fiveMinutes.processWatermark(millis("2026-03-02T10:05:00Z"));
            WindowAggregate onTime = single(fiveMinutes.extractOutputValues());
            assertFigures(onTime.figures, 2, 300, 100, 200, 2, 300, 0, 3);

            // 10:00's late revision (a and a late c) replaces its first row, it is not added.
            WindowAggregate minute0Revised =
                    minute(
                            "10:00",
                            transfer("a", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 100),
                            transfer("c", "2026-03-02T10:00:30Z", "P1", "A1", "A9", 1_000));
            fiveMinutes.processElement(minute0Revised, minute0Revised.windowEndMillis - 1);
            // A replay of the first revision after a restart changes nothing.
            fiveMinutes.processElement(minute0, minute0.windowEndMillis - 1);
            List<WindowAggregate> rows = fiveMinutes.extractOutputValues();
            WindowAggregate latest = rows.get(rows.size() - 1);
            assertFigures(latest.figures, 3, 1_300, 100, 1_000, 3, 1_300, 0, 4);
            assertThat(latest.version()).isEqualTo(3);
            assertThat(rows).extracting(WindowAggregate::version).containsExactly(2L, 3L, 3L);

            fiveMinutes.processWatermark(millis("2026-03-02T10:08:00Z"));
            assertThat(fiveMinutes.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void accountViewsCountATransferOnceForEachSideWithTheOtherSideAsCounterparty() {
        List<Movement> views =
                Movement.forAccounts(transfer("t", "2026-03-02T10:00:00Z", "P1", "A1", "A2", 10));
        assertThat(views).extracting(m -> m.accountId).containsExactly("A1", "A2");
        assertThat(views).extracting(m -> m.counterparties[0]).containsExactly("A2", "A1");
        TransactionResult deposit =
                result(
                        "d",
                        "2026-03-02T10:00:00Z",
                        "P1",
                        "EUR",
                        MovementType.DEPOSIT,
                        TransactionStatus.COMPLETED,
                        null,
                        null,
                        "A2",
                        10);
        assertThat(Movement.forAccounts(deposit))
                .singleElement()
                .satisfies(m -> assertThat(m.counterparties).isEmpty());
        assertThat(Movement.forPartner(deposit).counterparties).containsExactly("A2");
    }

    @Test
    void heldIsNotADecisionAndHoldEndingsAreNeitherApprovedNorRejected() {
        TransactionResult held =
                result(
                        "h",
                        "2026-03-02T10:00:00Z",
                        "P1",
                        "EUR",
                        MovementType.HOLD,
                        TransactionStatus.HELD,
                        null,
                        "A1",
                        "A2",
                        10);
        assertThat(Movement.isTerminal(held)).isFalse();
        WindowFigures f = new WindowFigures();
        for (TransactionStatus ending :
                List.of(
                        TransactionStatus.CAPTURED,
                        TransactionStatus.VOIDED,
                        TransactionStatus.EXPIRED)) {
            TransactionResult r =
                    result(
                            "h",
                            "2026-03-02T10:00:00Z",
                            "P1",
                            "EUR",
                            MovementType.HOLD,
                            ending,
                            ending == TransactionStatus.EXPIRED ? ReasonCode.HOLD_EXPIRED : null,
                            "A1",
                            "A2",
                            10);
            assertThat(Movement.isTerminal(r)).isTrue();
            f.add(Movement.forPartner(r));
        }
        assertFigures(f, 3, 30, 10, 10, 0, 0, 0, 2);
    }

    @Test
    void stateTypesAreFlinkPojosNotKryo() {
        for (Class<?> type :
                List.of(
                        Movement.class,
                        WindowFigures.class,
                        WindowAggregate.class,
                        LatestChildren.class,
                        HyperLogLog.class)) {
            assertThat(TypeInformation.of(type))
                    .as(type.getSimpleName())
                    .isInstanceOf(PojoTypeInfo.class);
        }
    }

    private static void assertFigures(
            WindowFigures f,
            long movements,
            long total,
            long min,
            long max,
            long approved,
            long approvedMinor,
            long rejected,
            long distinct) {
        assertThat(
                        new long[] {
                            f.movements,
                            f.totalMinor,
                            f.minMinor,
                            f.maxMinor,
                            f.approved,
                            f.approvedMinor,
                            f.rejected,
                            f.distinctCounterparties()
                        })
                .as("movements, total, min, max, approved, approved value, rejected, distinct")
                .containsExactly(
                        movements, total, min, max, approved, approvedMinor, rejected, distinct);
    }

    private static WindowAggregate minute(String start, TransactionResult... results) {
        WindowFigures f = new WindowFigures();
        for (TransactionResult r : results) {
            f.add(Movement.forPartner(r));
        }
        long startMillis = millis("2026-03-02T" + start + ":00Z");
        return new WindowAggregate(AggregateLevel.MINUTE, startMillis, startMillis + 60_000, f);
    }

    private static WindowAggregate single(List<WindowAggregate> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static void process(
            KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> harness,
            TransactionResult r)
            throws Exception {
        Movement m = Movement.forPartner(r);
        harness.processElement(new StreamRecord<>(m, m.eventTimeMillis));
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static <T> DataStream<T> input(Class<T> type) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        return env.fromData(List.of(newInstance(type)), TypeInformation.of(type));
    }

    private static <T> T newInstance(Class<T> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <I> KeyedOneInputStreamOperatorTestHarness<String, I, WindowAggregate> harness(
            SingleOutputStreamOperator<WindowAggregate> window) throws Exception {
        OneInputTransformation<I, WindowAggregate> t =
                (OneInputTransformation<I, WindowAggregate>) window.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(
                t.getOperatorFactory(),
                (KeySelector<I, String>) t.getStateKeySelector(),
                Types.STRING);
    }
}
