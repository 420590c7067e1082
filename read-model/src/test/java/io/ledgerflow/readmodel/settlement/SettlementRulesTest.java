package io.ledgerflow.readmodel.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettlementRulesTest {

    private static final SettlementPeriod DEC_1 =
            new SettlementPeriod(
                    Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"));

    private static final List<FeeSchedule> SCHEDULES =
            List.of(
                    new FeeSchedule(
                            "p1",
                            1,
                            Instant.parse("2026-01-01T00:00:00Z"),
                            List.of(
                                    new FeeRule("TRANSFER", "USD", 290, 30, null, null),
                                    new FeeRule("REFUND", "USD", 0, 15, null, null))),
                    new FeeSchedule(
                            "p1",
                            2,
                            Instant.parse("2026-12-01T12:00:00Z"),
                            List.of(new FeeRule("TRANSFER", "USD", 150, 0, 20L, 100L))));

    private static SettledPosting posting(
            long seq, String type, String direction, long amount, String eventTime) {
        return new SettledPosting(
                "s1",
                seq,
                "t" + seq,
                type,
                direction,
                amount,
                false,
                Instant.parse(eventTime),
                Instant.parse(eventTime).plusSeconds(1),
                "%064d".formatted(seq));
    }

    private static SettlementBatch dec1(long carriedIn, SettledPosting... postings) {
        return SettlementRules.batch(
                "p1",
                "USD",
                "s1",
                DEC_1,
                Instant.parse("2026-12-02T00:10:00Z"),
                List.of(postings),
                SCHEDULES,
                carriedIn);
    }

    @Test
    void feesFollowTheVersionInForceAtEachPostingsEventTime() {
        SettlementBatch b =
                dec1(
                        0,
                        // v1: 10005 * 2.9 % = 290.145 -> 290, + 30 = 320
                        posting(1, "TRANSFER", "CREDIT", 10_005, "2026-12-01T09:00:00Z"),
                        // v2: 1005 * 1.5 % = 15.075 -> 15, min 20 -> 20
                        posting(2, "TRANSFER", "CREDIT", 1_005, "2026-12-01T13:00:00Z"),
                        // v2: 50000 * 1.5 % = 750 -> max 100
                        posting(3, "TRANSFER", "CREDIT", 50_000, "2026-12-01T14:00:00Z"),
                        // v2 has no REFUND rule: no fee
                        posting(4, "REFUND", "DEBIT", 2_000, "2026-12-01T15:00:00Z"),
                        // v1's REFUND rule: 15
                        posting(5, "REFUND", "DEBIT", 500, "2026-12-01T10:00:00Z"));
        assertThat(b.entries())
                .extracting(BatchEntry::feeMinor)
                .containsExactly(320L, 20L, 100L, 0L, 15L);
        assertThat(b.entries())
                .extracting(BatchEntry::feeVersion)
                .containsExactly(1, 2, 2, null, 1);
        assertThat(b.creditsMinor()).isEqualTo(61_010);
        assertThat(b.debitsMinor()).isEqualTo(2_500);
        assertThat(b.refundCount()).isEqualTo(2);
        assertThat(b.refundsMinor()).isEqualTo(2_500);
        assertThat(b.feesMinor()).isEqualTo(455);
        // 61010 - 2500 - 455
        assertThat(b.netPayableMinor()).isEqualTo(58_055);
        assertThat(b.payoutMinor()).isEqualTo(58_055);
        assertThat(b.carriedOutMinor()).isZero();
        assertThat(b.lines())
                .containsExactly(
                        new BatchLine("CREDIT", "TRANSFER", false, 3, 61_010, 440),
                        new BatchLine("DEBIT", "REFUND", false, 2, 2_500, 15));
        assertThat(b.firstSequence()).isEqualTo(1);
        assertThat(b.lastSequence()).isEqualTo(5);
        assertThat(b.feeTransactionId()).isEqualTo(b.batchId() + ".fee");
        assertThat(b.payoutTransactionId()).isEqualTo(b.batchId() + ".payout");
    }

    @Test
    void earlierPostingsAreAdjustmentsAndANegativeNetIsCarriedNotPaid() {
        SettlementBatch b =
                dec1(
                        -100,
                        posting(7, "TRANSFER", "CREDIT", 1_000, "2026-11-30T23:59:00Z"),
                        posting(8, "WITHDRAWAL", "DEBIT", 5_000, "2026-12-01T08:00:00Z"));
        assertThat(b.adjustmentCount()).isEqualTo(1);
        assertThat(b.lines())
                .containsExactly(
                        new BatchLine("CREDIT", "TRANSFER", true, 1, 1_000, 59),
                        new BatchLine("DEBIT", "WITHDRAWAL", false, 1, 5_000, 0));
        // -100 + 1000 - 5000 - 59
        assertThat(b.netPayableMinor()).isEqualTo(-4_159);
        assertThat(b.payoutMinor()).isZero();
        assertThat(b.carriedOutMinor()).isEqualTo(-4_159);
        assertThat(b.payoutTransactionId()).isNull();
    }

    @Test
    void theHashIsStableAndCoversEveryFigureAndEntry() {
        SettledPosting p = posting(1, "TRANSFER", "CREDIT", 10_005, "2026-12-01T09:00:00Z");
        SettlementBatch b = dec1(0, p);
        assertThat(b.contentHash()).isEqualTo(dec1(0, p).contentHash()).hasSize(64);
        assertThat(dec1(1, p).contentHash()).isNotEqualTo(b.contentHash());
        SettledPosting otherChain =
                new SettledPosting(
                        "s1",
                        1,
                        "t1",
                        "TRANSFER",
                        "CREDIT",
                        10_005,
                        false,
                        p.eventTime(),
                        p.postedTime(),
                        "%064d".formatted(9));
        assertThat(dec1(0, otherChain).contentHash()).isNotEqualTo(b.contentHash());
        // Pinned: the canonical form is a contract with verifiers; changing it needs a new format.
        assertThat(b.batchId()).isEqualTo(SettlementIds.batchId("p1", "USD", DEC_1.start()));
        assertThat(b.contentHash()).isEqualTo(PINNED_HASH);
    }

    static final String PINNED_HASH =
            "fdc03b9fd0a88dc3eec13d1518708db78f07c36d253eccf5390afa562a1c746f";

    @Test
    void theNextPeriodSkipsEmptyOnesAndNeverOverlapsTheLatestBatch() {
        SettlementCalendar utc = SettlementCalendar.DAILY_UTC;
        // No batch yet: the period of the earliest posting.
        assertThat(utc.nextToSettle(Instant.parse("2026-12-01T09:00:00Z"), null)).isEqualTo(DEC_1);
        // A late posting of Dec 1 after Dec 1's batch: the period after the batch.
        assertThat(
                        utc.nextToSettle(
                                Instant.parse("2026-12-01T09:00:00Z"),
                                Instant.parse("2026-12-02T00:00:00Z")))
                .isEqualTo(utc.periodOf(Instant.parse("2026-12-02T00:00:00Z")));
        // Nothing for days after the batch: straight to the posting's period.
        assertThat(
                        utc.nextToSettle(
                                Instant.parse("2026-12-05T09:00:00Z"),
                                Instant.parse("2026-12-02T00:00:00Z")))
                .isEqualTo(utc.periodOf(Instant.parse("2026-12-05T09:00:00Z")));
        // Settings changed to a 17:00 cut-off after a batch ending at midnight: a transition
        // period from midnight to 17:00.
        SettlementCalendar five = new SettlementCalendar(LocalTime.of(17, 0), ZoneId.of("UTC"), 24);
        assertThat(
                        five.nextToSettle(
                                Instant.parse("2026-12-01T09:00:00Z"),
                                Instant.parse("2026-12-02T00:00:00Z")))
                .isEqualTo(
                        new SettlementPeriod(
                                Instant.parse("2026-12-02T00:00:00Z"),
                                Instant.parse("2026-12-02T17:00:00Z")));
    }

    @Test
    void periodsFollowTheCutOffInThePartnersZone() {
        SettlementCalendar utc = SettlementCalendar.DAILY_UTC;
        assertThat(utc.periodOf(Instant.parse("2026-12-01T23:59:59Z"))).isEqualTo(DEC_1);
        assertThat(utc.lastClosed(Instant.parse("2026-12-02T00:09:59Z"), Duration.ofMinutes(10)))
                .isEqualTo(utc.periodOf(Instant.parse("2026-11-30T12:00:00Z")));
        assertThat(utc.lastClosed(Instant.parse("2026-12-02T00:10:00Z"), Duration.ofMinutes(10)))
                .isEqualTo(DEC_1);
        SettlementCalendar berlin5pm =
                new SettlementCalendar(LocalTime.of(17, 0), ZoneId.of("Europe/Berlin"), 24);
        assertThat(berlin5pm.periodOf(Instant.parse("2026-12-01T15:59:59Z")))
                .isEqualTo(
                        new SettlementPeriod(
                                Instant.parse("2026-11-30T16:00:00Z"),
                                Instant.parse("2026-12-01T16:00:00Z")));
        SettlementCalendar sixHours =
                new SettlementCalendar(LocalTime.of(3, 0), ZoneId.of("UTC"), 6);
        assertThat(sixHours.periodOf(Instant.parse("2026-12-01T02:00:00Z")))
                .isEqualTo(
                        new SettlementPeriod(
                                Instant.parse("2026-11-30T21:00:00Z"),
                                Instant.parse("2026-12-01T03:00:00Z")));
        // The day daylight saving ends in Berlin is 25 hours long.
        SettlementCalendar berlinMidnight =
                new SettlementCalendar(LocalTime.MIDNIGHT, ZoneId.of("Europe/Berlin"), 24);
        SettlementPeriod oct25 = berlinMidnight.periodOf(Instant.parse("2026-10-25T12:00:00Z"));
        assertThat(Duration.between(oct25.start(), oct25.end())).isEqualTo(Duration.ofHours(25));
    }
}
