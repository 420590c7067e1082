package io.ledgerflow.sinks.aggregates;

import static io.ledgerflow.sinks.testutils.Decisions.result;
import static io.ledgerflow.sinks.testutils.Decisions.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.math.BigInteger;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CascadingWindows} with the levels {@link WindowedAggregates} gives it, in an operator test
 * harness (lateness 2 minutes): on-time and late firings, the late-data side output, no double
 * counting up the cascade, and state and timers gone once the lateness has passed.
 */
class AggregateWindowsTest {

    @Test
    void levelsFireOnTimeLateDecisionsReviseEveryFiredLevelAndOnlyTooLateOnesGoAside()
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> partner =
                harness(WindowedAggregates.PARTNER_LEVELS, WindowedAggregates.LATE_FOR_PARTNER)) {
            partner.open();
            process(partner, transfer("t1", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 1_000));
            process(
                    partner,
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
            process(partner, transfer("t3", "2026-03-02T10:01:10Z", "P1", "A2", "A1", 300));
            assertThat(take(partner)).as("nothing before the watermark").isEmpty();

            partner.processWatermark(millis("2026-03-02T10:01:00Z"));
            WindowAggregate minute = single(take(partner));
            assertThat(minute.level).isEqualTo("1m");
            assertThat(minute.windowStartMillis).isEqualTo(millis("2026-03-02T10:00:00Z"));
            assertThat(minute.windowEndMillis).isEqualTo(millis("2026-03-02T10:01:00Z"));
            assertFigures(minute.figures, 2, 6_000, 1_000, 5_000, 1, 1_000, 1, 3);
            assertThat(minute.figures.rejectionsByReasonName())
                    .isEqualTo(Map.of("INSUFFICIENT_FUNDS", 1L));
            assertThat(minute.version()).isEqualTo(2);

            partner.processWatermark(millis("2026-03-02T10:02:30Z"));
            assertThat(take(partner)).extracting(r -> r.figures.movements).containsExactly(1L);

            // Late within the lateness: 10:00 is revised at once; 5m has not fired yet.
            process(partner, transfer("t4", "2026-03-02T10:00:40Z", "P1", "A4", "A1", 50));
            WindowAggregate revised = single(take(partner));
            assertThat(revised.level).isEqualTo("1m");
            assertFigures(revised.figures, 3, 6_050, 50, 5_000, 2, 1_050, 1, 4);
            assertThat(revised.version()).isGreaterThan(minute.version());

            // 5m fires with the latest 10:00 (3 decisions, not 2 + 3) and 10:01.
            partner.processWatermark(millis("2026-03-02T10:05:00Z"));
            WindowAggregate fiveMinutes = single(take(partner));
            assertThat(fiveMinutes.level).isEqualTo("5m");
            assertFigures(fiveMinutes.figures, 4, 6_350, 50, 5_000, 3, 1_350, 1, 4);

            // Late after 5m fired: the new minute and the revised 5m, at once.
            process(partner, transfer("t5", "2026-03-02T10:04:10Z", "P1", "A1", "A2", 70));
            List<WindowAggregate> lateRows = take(partner);
            assertThat(lateRows).extracting(r -> r.level).containsExactly("1m", "5m");
            assertFigures(lateRows.get(1).figures, 5, 6_420, 50, 5_000, 4, 1_420, 1, 4);
            assertThat(lateRows.get(1).version()).isEqualTo(5);

            // Beyond the lateness of 10:00's minute: aside, counted nowhere else.
            partner.processWatermark(millis("2026-03-02T10:07:30Z"));
            process(partner, transfer("t6", "2026-03-02T10:00:50Z", "P1", "A1", "A2", 9));
            assertThat(partner.getSideOutput(WindowedAggregates.LATE_FOR_PARTNER))
                    .extracting(r -> r.getValue().transactionId)
                    .containsExactly("t6");
            assertThat(take(partner)).isEmpty();

            // The next day: 15m, 1h and 1d fire with the same five decisions; then all state and
            // timers are gone.
            partner.processWatermark(millis("2026-03-03T01:00:00Z"));
            List<WindowAggregate> upper = take(partner);
            assertThat(upper).extracting(r -> r.level).containsExactly("15m", "1h", "1d");
            for (WindowAggregate row : upper) {
                assertFigures(row.figures, 5, 6_420, 50, 5_000, 4, 1_420, 1, 4);
            }
            assertThat(partner.numKeyedStateEntries())
                    .as("window state after the lateness")
                    .isZero();
            assertThat(partner.numEventTimeTimers()).as("timers after the lateness").isZero();
        }
    }

    /**
     * Issue 18: an open hour and day show their figures so far, marked open, every few seconds of
     * processing time while decisions come, computed from the open first-level windows and the
     * fired children kept above them; the closed rows follow as before. Nothing is emitted before
     * the first watermark (after a restore a closed window would look open) or without new
     * decisions.
     */
    @Test
    void openHoursAndDaysShowTheirFiguresSoFarUntilTheyClose() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> partner =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new CascadingWindows(
                                        WindowedAggregates.PARTNER_LEVELS,
                                        Duration.ofMinutes(2).toMillis(),
                                        WindowedAggregates.LATE_FOR_PARTNER,
                                        WindowedAggregates.PARTNER_EARLY_LEVELS,
                                        5_000)),
                        Movement::key,
                        Types.STRING)) {
            partner.open();
            partner.setProcessingTime(0);
            process(partner, transfer("t1", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 1_000));
            process(partner, transfer("t2", "2026-03-02T10:20:00Z", "P1", "A1", "A2", 500));
            partner.setProcessingTime(5_000);
            assertThat(take(partner)).as("no watermark yet").isEmpty();

            partner.processWatermark(millis("2026-03-02T10:00:00Z"));
            partner.setProcessingTime(10_000);
            assertThat(take(partner))
                    .extracting(
                            r -> r.level,
                            r -> r.open,
                            r -> r.figures.movements,
                            r -> r.figures.totalMinor)
                    .containsExactly(tuple("1h", true, 2L, 1_500L), tuple("1d", true, 2L, 1_500L));
            partner.setProcessingTime(20_000);
            assertThat(take(partner)).as("no new decisions, no new figures").isEmpty();

            // 10:00 to 10:15 closes: its rows move into the kept children of the open hour.
            partner.processWatermark(millis("2026-03-02T10:21:00Z"));
            assertThat(take(partner)).isNotEmpty().noneMatch(r -> r.open);
            process(partner, transfer("t3", "2026-03-02T10:40:00Z", "P1", "A2", "A1", 250));
            partner.setProcessingTime(25_000);
            List<WindowAggregate> early = take(partner);
            assertThat(early)
                    .extracting(
                            r -> r.level,
                            r -> r.open,
                            r -> r.figures.movements,
                            r -> r.figures.totalMinor)
                    .containsExactly(tuple("1h", true, 3L, 1_750L), tuple("1d", true, 3L, 1_750L));
            assertThat(early.get(0).windowStartMillis).isEqualTo(millis("2026-03-02T10:00:00Z"));
            assertThat(early.get(1).windowStartMillis).isEqualTo(millis("2026-03-02T00:00:00Z"));
            assertThat(early.get(0).version()).isEqualTo(3);

            partner.processWatermark(millis("2026-03-03T01:00:00Z"));
            assertThat(take(partner))
                    .filteredOn(r -> r.level.equals("1h") || r.level.equals("1d"))
                    .extracting(r -> r.level, r -> r.open, r -> r.figures.movements)
                    .containsExactly(tuple("1h", false, 3L), tuple("1d", false, 3L));
        }
    }

    @Test
    void afterARestoreAWindowThatFiredBeforeTheCheckpointFiresAgainWithReplayedDecisions()
            throws Exception {
        OperatorSubtaskState checkpoint;
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> before =
                harness(WindowedAggregates.PARTNER_LEVELS, WindowedAggregates.LATE_FOR_PARTNER)) {
            before.open();
            process(before, transfer("t1", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 1_000));
            process(before, transfer("t2", "2026-03-02T10:01:10Z", "P1", "A2", "A1", 300));
            before.processWatermark(millis("2026-03-02T10:01:30Z"));
            assertThat(take(before))
                    .extracting(r -> r.level + " " + r.figures.movements)
                    .containsExactly("1m 1");
            checkpoint = before.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> after =
                harness(WindowedAggregates.PARTNER_LEVELS, WindowedAggregates.LATE_FOR_PARTNER)) {
            after.initializeState(checkpoint);
            after.open();
            // Replayed after the restore, with no watermark yet: 10:00 fired before the
            // checkpoint, so its timer is gone; it must fire again, and 5m with it.
            process(after, transfer("t3", "2026-03-02T10:00:30Z", "P1", "A3", "A1", 50));
            assertThat(take(after)).isEmpty();
            after.processWatermark(millis("2026-03-02T10:05:30Z"));
            assertThat(take(after))
                    .extracting(r -> r.level + " " + r.figures.movements)
                    .containsExactly("1m 2", "1m 1", "5m 3");
        }
    }

    @Test
    void accountHoursRollUpIntoDaysAndStateEndsWithTheDaysLateness() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> accounts =
                harness(WindowedAggregates.ACCOUNT_LEVELS, WindowedAggregates.LATE_FOR_ACCOUNT)) {
            accounts.open();
            for (TransactionResult r :
                    List.of(
                            transfer("a", "2026-03-02T09:10:00Z", "P1", "A1", "A2", 100),
                            transfer("b", "2026-03-02T10:20:00Z", "P1", "A2", "A3", 200))) {
                for (Movement m : Movement.forAccounts(r)) {
                    accounts.processElement(new StreamRecord<>(m, m.eventTimeMillis));
                }
            }
            accounts.processWatermark(millis("2026-03-03T00:00:00Z"));
            List<WindowAggregate> rows = take(accounts);
            assertThat(rows)
                    .extracting(
                            r -> r.level + " " + r.figures.accountId + " " + r.figures.movements)
                    .containsExactlyInAnyOrder(
                            "1h A1 1", "1h A2 1", "1h A2 1", "1h A3 1", "1d A1 1", "1d A2 2",
                            "1d A3 1");
            accounts.processWatermark(millis("2026-03-03T00:02:00Z"));
            assertThat(accounts.numKeyedStateEntries()).isZero();
            assertThat(accounts.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aReplayedOlderChildRevisionNeverReplacesANewerOne() {
        WindowAggregate first =
                minute("10:00", transfer("a", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 100));
        WindowAggregate second =
                minute(
                        "10:00",
                        transfer("a", "2026-03-02T10:00:05Z", "P1", "A1", "A2", 100),
                        transfer("c", "2026-03-02T10:00:30Z", "P1", "A1", "A9", 1_000));
        WindowAggregate other =
                minute("10:01", transfer("b", "2026-03-02T10:01:05Z", "P1", "A2", "A3", 200));
        LatestChildren children =
                new LatestChildren().offer(first).offer(other).offer(second).offer(first);
        assertFigures(children.figures(), 3, 1_300, 100, 1_000, 3, 1_300, 0, 4);

        // 10:00's lateness passes: it is folded into the settled figures, nothing changes.
        children.settle(first.windowStartMillis);
        assertThat(children.children).containsExactly(other);
        assertFigures(children.figures(), 3, 1_300, 100, 1_000, 3, 1_300, 0, 4);
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

    /**
     * Keyed state written before the sums were widened (the snapshot files were taken with the
     * 64-bit {@code WindowFigures}, heap and RocksDB backends: minute 10:00 holds one decision of
     * Long.MAX_VALUE - 10 and has fired, 10:01 holds 300) restores into the 128-bit figures through
     * Flink's POJO schema evolution (the new high words start at 0), and the next decision carries
     * the minute and its 5m parent beyond 64 bits, exactly. The same files hold the hand-written
     * HyperLogLog of before issue 19: they restore into the DataSketches counts too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void stateFromBeforeTheWideSumsRestoresAndThenGrowsPast64Bits(String backend) throws Exception {
        String snapshot =
                Paths.get(
                                AggregateWindowsTest.class
                                        .getResource(
                                                "/aggregates/window-state-64-bit-sums-"
                                                        + backend
                                                        + ".snapshot")
                                        .toURI())
                        .toString();
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> after =
                harness(WindowedAggregates.PARTNER_LEVELS, WindowedAggregates.LATE_FOR_PARTNER)) {
            if (backend.equals("rocksdb")) {
                after.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            after.initializeState(OperatorSnapshotUtil.readStateHandle(snapshot));
            after.open();
            process(after, transfer("t3", "2026-03-02T10:00:30Z", "P1", "A3", "A1", 100));
            after.processWatermark(millis("2026-03-02T10:05:30Z"));
            List<WindowAggregate> rows = take(after);
            BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
            assertThat(rows)
                    .extracting(r -> r.level + " " + r.figures.movements + " " + r.figures.total())
                    .containsExactly(
                            "1m 2 " + max.add(BigInteger.valueOf(90)),
                            "1m 1 300",
                            "5m 3 " + max.add(BigInteger.valueOf(390)));
            assertThat(rows.get(2).figures.approvedTotal())
                    .isEqualTo(max.add(BigInteger.valueOf(390)));
            assertThat(rows.get(2).figures.totalMinorHigh).isEqualTo(1);
            // The restored minutes' counterparties (the hand-written sketch's exact sets) fold into
            // the DataSketches counts member for member: 10:00 held two, t3 brings A3 and A1, one
            // of them already there (dropping the restored set would give 2, a hash mismatch 4).
            assertThat(rows)
                    .extracting(r -> r.level + " " + r.figures.distinctCounterparties())
                    .containsExactly("1m 3", "1m 2", "5m 3");
        }
    }

    /**
     * Window state written by this version ({@link WindowStateSnapshots}: a fired dense minute of
     * 2,001 accounts, an open small one of 3) restores, and its distinct counts go on as unions: a
     * member seen before the snapshot counts once, a new one adds one. The guard for later changes
     * of the state types, the sketch's serializer or the DataSketches version.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void stateOfThisVersionRestoresAndItsDistinctCountsGoOn(String backend) throws Exception {
        String snapshot =
                Paths.get(
                                AggregateWindowsTest.class
                                        .getResource(
                                                WindowStateSnapshots.PREFIX + backend + ".snapshot")
                                        .toURI())
                        .toString();
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> after =
                WindowStateSnapshots.harness()) {
            if (backend.equals("rocksdb")) {
                after.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            after.initializeState(OperatorSnapshotUtil.readStateHandle(snapshot));
            after.open();
            // Late for 10:00 (fired, within the lateness): A5 was there, C1 is new.
            process(after, transfer("n1", "2026-03-02T10:00:50Z", "P1", "A5", "C1", 40));
            // 10:01: B2 was there, B3 is new.
            process(after, transfer("n2", "2026-03-02T10:01:40Z", "P1", "B2", "B3", 50));
            after.processWatermark(millis("2026-03-02T10:05:30Z"));
            List<WindowAggregate> rows = take(after);
            int dense = WindowStateSnapshots.DENSE_ACCOUNTS;
            assertThat(rows)
                    .extracting(r -> r.level + " " + r.figures.movements)
                    .containsExactly("1m " + (dense + 1), "1m 3", "5m " + (dense + 4));
            assertWithinFourStandardErrors(rows.get(0).figures, dense + 2);
            assertThat(rows.get(1).figures.distinctCounterparties()).isEqualTo(4); // A1 B1 B2 B3
            // A0..A2000, C1, B1, B2, B3 (A1 is in both minutes).
            assertWithinFourStandardErrors(rows.get(2).figures, dense + 5);
            assertThat(rows.get(2).figures.distinctCounterparties())
                    .isGreaterThanOrEqualTo(rows.get(0).figures.distinctCounterparties());
        }
    }

    private static void assertWithinFourStandardErrors(WindowFigures figures, long exact) {
        double error = Math.abs(figures.distinctCounterparties() - exact) / (double) exact;
        assertThat(error)
                .as("distinct %d against %d", figures.distinctCounterparties(), exact)
                .isLessThan(4 * 1.04 / Math.sqrt(1 << DistinctCount.LG_K));
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateTypesAreFlinkPojosOrOurOwnSerializersNotKryo() {
        for (Class<?> type :
                List.of(
                        Movement.class,
                        WindowAggregate.class,
                        LatestChildren.class,
                        HyperLogLog.class)) {
            assertThat(TypeInformation.of(type))
                    .as(type.getSimpleName())
                    .isInstanceOf(PojoTypeInfo.class);
        }
        // The figures, wherever they appear (window state, inside the children and the rows),
        // through their own serializer, which writes the counterparty sketch as DataSketches'
        // image: not Kryo, not reflection, not DataSketches' object graph.
        assertThat(TypeInformation.of(WindowFigures.class)).isEqualTo(WindowFiguresTypeInfo.of());
        PojoTypeInfo<WindowAggregate> row =
                (PojoTypeInfo<WindowAggregate>) TypeInformation.of(WindowAggregate.class);
        assertThat(row.getTypeAt(row.getFieldIndex("figures")))
                .isEqualTo(WindowFiguresTypeInfo.of());
    }

    @Test
    void figuresSurviveTheirSerializer() throws Exception {
        WindowFigures figures = new WindowFigures();
        figures.add(
                Movement.forPartner(transfer("t1", "2026-03-02T10:00:00Z", "P1", "A1", "A2", 15)));
        figures.add(
                Movement.forPartner(
                        result(
                                "t2",
                                "2026-03-02T10:00:01Z",
                                "P1",
                                "EUR",
                                MovementType.TRANSFER,
                                TransactionStatus.REJECTED,
                                ReasonCode.ACCOUNT_FROZEN,
                                "A1",
                                "A3",
                                Long.MAX_VALUE)));
        figures.add(
                Movement.forPartner(transfer("t3", "2026-03-02T10:00:02Z", "P1", "A4", "A2", 7)));
        DataOutputSerializer out = new DataOutputSerializer(64);
        WindowFiguresSerializer.INSTANCE.serialize(figures, out);
        WindowFigures read =
                WindowFiguresSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read)
                .usingRecursiveComparison()
                .ignoringFields("counterpartySketch")
                .isEqualTo(figures);
        assertThat(read.total()).isEqualTo(figures.total());
        assertThat(read.rejectionsByReasonName()).containsExactly(Map.entry("ACCOUNT_FROZEN", 1L));
        assertThat(read.distinctCounterparties()).isEqualTo(4);
        WindowFigures copy = WindowFiguresSerializer.INSTANCE.copy(figures);
        assertThat(copy)
                .usingRecursiveComparison()
                .ignoringFields("counterpartySketch")
                .isEqualTo(figures);
        assertThat(copy.counterpartySketch).isNotSameAs(figures.counterpartySketch);
    }

    @Test
    void figuresWrittenByThePojoSerializerMigrate() throws Exception {
        // What state from before the figures' own serializer recorded: a POJO serializer's
        // snapshot.
        TypeSerializerSnapshot<WindowFigures> pojo =
                new PojoTypeInfo<>(
                                WindowFigures.class,
                                List.of(
                                        new PojoField(
                                                WindowFigures.class.getField("movements"),
                                                Types.LONG)))
                        .createSerializer(new SerializerConfigImpl())
                        .snapshotConfiguration();
        TypeSerializerSnapshot<WindowFigures> now =
                WindowFiguresSerializer.INSTANCE.snapshotConfiguration();
        assertThat(now.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration()).isTrue();
        assertThat(now.resolveSchemaCompatibility(now).isCompatibleAsIs()).isTrue();
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

    /** The rows emitted since the last call. */
    private static List<WindowAggregate> take(
            KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> harness) {
        List<WindowAggregate> rows = harness.extractOutputValues();
        harness.getOutput().clear();
        return rows;
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

    private static KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate>
            harness(List<AggregateLevel> levels, OutputTag<Movement> late) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CascadingWindows(levels, Duration.ofMinutes(2).toMillis(), late)),
                Movement::key,
                Types.STRING);
    }
}
