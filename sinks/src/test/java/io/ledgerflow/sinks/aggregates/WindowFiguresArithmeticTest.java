package io.ledgerflow.sinks.aggregates;

import static io.ledgerflow.sinks.testutils.Decisions.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Generated decisions against the aggregates' arithmetic (issue 12): amounts anywhere in the 64-bit
 * range with the extremes much more likely than chance would make them, every movement type and
 * status (HELD included, which the pipeline leaves out), any reason, long runs into one window, any
 * grouping and order of merges, and the whole cascade operator. Every decision is taken (no
 * exception) and every sum equals the exact {@link BigInteger} sum, every count the exact count.
 */
class WindowFiguresArithmeticTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long DAY_START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

    /** One generated decision: what the ledger could commit, extreme amounts included. */
    record Decision(
            MovementType type,
            TransactionStatus status,
            ReasonCode reason,
            String source,
            String destination,
            long amount,
            long offsetInDay) {

        TransactionResult asResult(int n) {
            return result(
                    "t" + n,
                    Instant.ofEpochMilli(DAY_START + offsetInDay).toString(),
                    "P1",
                    "EUR",
                    type,
                    status,
                    reason,
                    source,
                    destination,
                    amount);
        }
    }

    @Property(tries = 300)
    void everyDecisionIsTakenAndSumsAreExact(
            @ForAll @Size(max = 300) List<@From("decisions") Decision> decisions) {
        WindowFigures partner = new WindowFigures();
        Map<String, WindowFigures> accounts = new TreeMap<>();
        Expected expected = new Expected();
        Map<String, Expected> expectedByAccount = new TreeMap<>();
        for (int i = 0; i < decisions.size(); i++) {
            TransactionResult r = decisions.get(i).asResult(i);
            if (!Movement.isTerminal(r)) {
                continue; // as WindowedAggregates: a HELD is no decision yet
            }
            partner.add(Movement.forPartner(r));
            expected.add(r);
            for (Movement view : Movement.forAccounts(r)) {
                accounts.computeIfAbsent(view.accountId, a -> new WindowFigures()).add(view);
                expectedByAccount.computeIfAbsent(view.accountId, a -> new Expected()).add(r);
            }
        }
        expected.assertEquals(partner);
        assertThat(accounts.keySet()).isEqualTo(expectedByAccount.keySet());
        accounts.forEach((account, f) -> expectedByAccount.get(account).assertEquals(f));
    }

    @Property(tries = 300)
    void mergesInAnyGroupingAndOrderEqualOnePass(
            @ForAll @Size(max = 200) List<@From("decisions") Decision> decisions,
            @ForAll @IntRange(min = 1, max = 24) int groups,
            @ForAll long seed) {
        Random random = new Random(seed);
        List<WindowFigures> parts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            parts.add(new WindowFigures());
        }
        WindowFigures onePass = new WindowFigures();
        Expected expected = new Expected();
        for (int i = 0; i < decisions.size(); i++) {
            TransactionResult r = decisions.get(i).asResult(i);
            if (Movement.isTerminal(r)) {
                onePass.add(Movement.forPartner(r));
                parts.get(random.nextInt(groups)).add(Movement.forPartner(r));
                expected.add(r);
            }
        }
        Collections.shuffle(parts, random);
        // As a parent window merges: children offered as rows, some settled, in any order.
        LatestChildren parent = new LatestChildren();
        for (int g = 0; g < parts.size(); g++) {
            parent.offer(new WindowAggregate(AggregateLevel.MINUTE, g * 60_000L, 0, parts.get(g)));
            if (random.nextBoolean()) {
                parent.settle(g * 60_000L);
            }
        }
        WindowFigures merged = parent.figures();
        expected.assertEquals(onePass);
        expected.assertEquals(merged);
    }

    @Property(tries = 40)
    void longRunsIntoOneWindowStayExact(
            @ForAll("amounts") long amount,
            @ForAll("terminalStatuses") TransactionStatus status,
            @ForAll @IntRange(min = 1, max = 200_000) int run) {
        Movement m =
                Movement.forPartner(
                        result(
                                "t",
                                "2026-03-02T10:00:00Z",
                                "P1",
                                "EUR",
                                MovementType.DEPOSIT,
                                status,
                                status == TransactionStatus.REJECTED
                                        ? ReasonCode.INSUFFICIENT_FUNDS
                                        : null,
                                null,
                                "A1",
                                amount));
        WindowFigures f = new WindowFigures();
        for (int i = 0; i < run; i++) {
            f.add(m);
        }
        BigInteger exact = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(run));
        assertThat(f.total()).isEqualTo(exact);
        assertThat(f.approvedTotal())
                .isEqualTo(status == TransactionStatus.COMPLETED ? exact : BigInteger.ZERO);
        assertThat(f.movements).isEqualTo(run);
        assertThat(f.minMinor).isEqualTo(amount);
        assertThat(f.maxMinor).isEqualTo(amount);
        // The high word is 0 exactly when the sum fits a long: the stores get a long then.
        assertThat(f.totalMinorHigh == 0).isEqualTo(exact.bitLength() < 64);
    }

    @Example
    void aMillionLargestAmountsAndBackToZero() {
        Movement in = movement(Long.MAX_VALUE);
        Movement out = movement(-Long.MAX_VALUE);
        WindowFigures f = new WindowFigures();
        for (int i = 0; i < 1_000_000; i++) {
            f.add(in);
        }
        assertThat(f.total())
                .isEqualTo(
                        BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(1_000_000)));
        for (int i = 0; i < 1_000_000; i++) {
            f.add(out);
        }
        assertThat(f.total()).isZero();
        assertThat(f.totalMinorHigh).as("back in the long range, high word 0 again").isZero();
        assertThat(f.totalMinor).isZero();
    }

    /**
     * The cascade operator itself: generated decisions over one day into one partner key (minute
     * through day), fired by one watermark; every level's rows add up exactly, and the day's row is
     * the exact total of the day.
     */
    @Property(tries = 25)
    void theCascadeCarriesExactSumsToEveryLevel(
            @ForAll @Size(min = 1, max = 150) List<@From("decisions") Decision> decisions)
            throws Exception {
        Expected expected = new Expected();
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new CascadingWindows(
                                        WindowedAggregates.PARTNER_LEVELS,
                                        Duration.ofMinutes(2).toMillis(),
                                        WindowedAggregates.LATE_FOR_PARTNER)),
                        Movement::key,
                        Types.STRING)) {
            harness.open();
            for (int i = 0; i < decisions.size(); i++) {
                TransactionResult r = decisions.get(i).asResult(i);
                if (Movement.isTerminal(r)) {
                    Movement m = Movement.forPartner(r);
                    harness.processElement(new StreamRecord<>(m, m.eventTimeMillis));
                    expected.add(r);
                }
            }
            harness.processWatermark(DAY_START + DAY + DAY);
            Map<String, BigInteger> totalByLevel = new TreeMap<>();
            Map<String, Long> countByLevel = new TreeMap<>();
            WindowFigures day = null;
            for (WindowAggregate row : harness.extractOutputValues()) {
                totalByLevel.merge(row.level, row.figures.total(), BigInteger::add);
                countByLevel.merge(row.level, row.figures.movements, Long::sum);
                if (row.level.equals("1d")) {
                    day = row.figures;
                }
            }
            if (expected.movements == 0) {
                assertThat(totalByLevel).isEmpty();
                return;
            }
            for (AggregateLevel level : WindowedAggregates.PARTNER_LEVELS) {
                assertThat(totalByLevel.get(level.label()))
                        .as("sum over the %s rows", level.label())
                        .isEqualTo(expected.total);
                assertThat(countByLevel.get(level.label())).isEqualTo(expected.movements);
            }
            expected.assertEquals(day);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Provide
    Arbitrary<Long> amounts() {
        // Edge values most of the time: overflow only shows at the extremes.
        return Arbitraries.frequencyOf(
                Tuple.of(
                        5,
                        Arbitraries.of(
                                Long.MAX_VALUE,
                                Long.MAX_VALUE - 1,
                                Long.MAX_VALUE / 2 + 1,
                                Long.MIN_VALUE,
                                Long.MIN_VALUE + 1,
                                -1L,
                                0L,
                                1L)),
                Tuple.of(3, Arbitraries.longs().greaterOrEqual(Long.MAX_VALUE / 4)),
                Tuple.of(2, Arbitraries.longs()));
    }

    @Provide
    Arbitrary<TransactionStatus> terminalStatuses() {
        return Arbitraries.of(TransactionStatus.class).filter(s -> s != TransactionStatus.HELD);
    }

    @Provide
    Arbitrary<Decision> decisions() {
        Arbitrary<String> accounts =
                Arbitraries.of("A1", "A2", "A3", "SYSTEM-EUR-0").injectNull(0.2);
        return Combinators.combine(
                        Arbitraries.of(MovementType.class),
                        Arbitraries.of(TransactionStatus.class),
                        Arbitraries.of(ReasonCode.class).injectNull(0.3),
                        accounts,
                        accounts,
                        amounts(),
                        Arbitraries.longs().between(0, DAY - 1))
                .as(Decision::new);
    }

    private static Movement movement(long amount) {
        return Movement.forPartner(
                result(
                        "t",
                        "2026-03-02T10:00:00Z",
                        "P1",
                        "EUR",
                        MovementType.TRANSFER,
                        TransactionStatus.COMPLETED,
                        null,
                        "A1",
                        "A2",
                        amount));
    }

    /** The figures computed the slow, obviously right way: BigInteger sums, plain counts. */
    private static final class Expected {
        BigInteger total = BigInteger.ZERO;
        BigInteger approvedTotal = BigInteger.ZERO;
        long movements;
        long approved;
        long rejected;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        final Map<String, Long> rejections = new TreeMap<>();

        void add(TransactionResult r) {
            BigInteger amount = BigInteger.valueOf(r.getAmountMinor());
            movements++;
            total = total.add(amount);
            min = Math.min(min, r.getAmountMinor());
            max = Math.max(max, r.getAmountMinor());
            if (r.getStatus() == TransactionStatus.COMPLETED) {
                approved++;
                approvedTotal = approvedTotal.add(amount);
            } else if (r.getStatus() == TransactionStatus.REJECTED) {
                rejected++;
                String reason = r.getReason() == null ? "OTHER" : r.getReason().name();
                rejections.merge(reason, 1L, Long::sum);
            }
        }

        void assertEquals(WindowFigures f) {
            assertThat(f).isNotNull();
            assertThat(f.total()).as("total").isEqualTo(total);
            assertThat(f.approvedTotal()).as("approved total").isEqualTo(approvedTotal);
            assertThat(new long[] {f.movements, f.approved, f.rejected, f.minMinor, f.maxMinor})
                    .as("movements, approved, rejected, min, max")
                    .containsExactly(movements, approved, rejected, min, max);
            assertThat(f.rejectionsByReasonName()).isEqualTo(rejections);
        }
    }
}
