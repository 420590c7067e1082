package io.ledgerflow.sinks.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.sinks.reconcile.Finding.Kind;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison rules, with no servers: figures in, findings out. */
class InternalReconciliationTest {

    private static final Instant W1 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant W2 = Instant.parse("2026-12-07T10:01:00Z");
    private static final Instant LATER = Instant.parse("2026-12-07T11:00:00Z");

    private static InternalReconciliation fed(List<LedgerEntry> entries) {
        InternalReconciliation r = new InternalReconciliation(Duration.ofMinutes(1), false);
        entries.forEach(r::accept);
        return r;
    }

    /** What a store would have if it held exactly these entries. */
    private static Map<WindowKey, Figures> figuresOf(List<LedgerEntry> entries) {
        Map<WindowKey, Figures> m = new HashMap<>();
        for (LedgerEntry e : entries) {
            long ms = e.getPostedTime().toEpochMilli();
            WindowKey k =
                    new WindowKey(
                            e.getPartnerId(),
                            e.getCurrency(),
                            Instant.ofEpochMilli(ms - Math.floorMod(ms, 60_000L)));
            m.merge(
                    k,
                    Figures.NONE.plus(e.getAmountMinor()),
                    (a, b) -> new Figures(a.count() + b.count(), a.amount().add(b.amount())));
        }
        return m;
    }

    private static List<LedgerEntry> twoWindows() {
        return new Postings()
                .deposit("p1", "acc-a", "EUR", 100, W1.plusSeconds(5))
                .deposit("p1", "acc-a", "EUR", 250, W1.plusSeconds(50))
                .deposit("p2", "acc-c", "USD", 70, W2.plusSeconds(1))
                .entries();
    }

    @Test
    void storesThatHoldEveryEntryMatch() {
        List<LedgerEntry> entries = twoWindows();
        InternalReconciliation r = fed(entries);
        assertThat(r.compare(LATER, figuresOf(entries), figuresOf(entries))).isEmpty();
        assertThat(r.oldestWindow()).isEqualTo(W1);
        assertThat(r.windows()).isEqualTo(4); // p1/EUR, platform/EUR in W1; p2/USD, platform/USD
    }

    @Test
    void aMissingRowAnExtraRowAndAnAlteredAmountAreEachNamedWithTheirStore() {
        List<LedgerEntry> entries = twoWindows();
        InternalReconciliation r = fed(entries);
        Map<WindowKey, Figures> pg = figuresOf(entries.subList(1, entries.size()));
        Map<WindowKey, Figures> ch = figuresOf(entries);
        ch.put(new WindowKey("p2", "USD", W2), new Figures(1, BigInteger.valueOf(7000)));
        ch.put(new WindowKey("p9", "EUR", W2), new Figures(2, BigInteger.valueOf(5)));

        List<Finding> found = r.compare(LATER, pg, ch);

        assertThat(found)
                .extracting(
                        f ->
                                f.kind()
                                        + " "
                                        + f.partnerId()
                                        + "/"
                                        + f.currency()
                                        + " "
                                        + f.windowStart()
                                        + " expected "
                                        + f.expected()
                                        + ", found "
                                        + f.found())
                .containsExactly(
                        "MISSING_IN_POSTGRES p1/EUR 2026-12-07T10:00:00Z expected 2 entries,"
                                + " amount 350, found 1 entries, amount 250",
                        "EXTRA_IN_CLICKHOUSE p9/EUR 2026-12-07T10:01:00Z expected 0 entries,"
                                + " amount 0, found 2 entries, amount 5",
                        "AMOUNT_MISMATCH_CLICKHOUSE p2/USD 2026-12-07T10:01:00Z expected 1"
                                + " entries, amount 70, found 1 entries, amount 7000");
    }

    @Test
    void aWindowIsNotJudgedBeforeItSettled() {
        List<LedgerEntry> entries = twoWindows();
        InternalReconciliation r = fed(entries);
        // W2 ends at 10:02; settled before 10:01:30 only W1 is judged, and W1 is intact.
        assertThat(r.compare(W2.plusSeconds(30), figuresOf(entries.subList(0, 4)), Map.of()))
                .extracting(Finding::kind)
                .containsExactly(Kind.MISSING_IN_CLICKHOUSE, Kind.MISSING_IN_CLICKHOUSE);
    }

    @Test
    void aTransactionWithoutItsOtherLegDoesNotSumToZeroOnceSettled() {
        List<LedgerEntry> entries =
                new Postings()
                        .deposit("p1", "acc-a", "EUR", 100, W1.plusSeconds(5))
                        .debitOnly("p1", "acc-a", "EUR", 40, W1.plusSeconds(6))
                        .entries();
        InternalReconciliation r = fed(entries);
        Map<WindowKey, Figures> stores = figuresOf(entries);

        assertThat(r.compare(W1.plusSeconds(30), stores, stores)).as("in flight").isEmpty();
        List<Finding> found = r.compare(LATER, stores, stores);
        assertThat(found).hasSize(1);
        Finding f = found.get(0);
        assertThat(f.kind()).isEqualTo(Kind.SUM_NOT_ZERO);
        assertThat(f.currency()).isEqualTo("EUR");
        assertThat(f.windowStart()).isEqualTo(W1);
        assertThat(f.found()).isEqualTo("-40");
        assertThat(f.detail()).contains("1 transactions", "p1/acc-a-half-3");
    }

    @Test
    void aTamperedEntryBreaksItsAccountsChainAndOnlyThatOne() {
        List<LedgerEntry> entries = new java.util.ArrayList<>(twoWindows());
        entries.set(2, Postings.tampered(entries.get(2), 999)); // acc-a #2
        InternalReconciliation r = fed(entries);
        Map<WindowKey, Figures> stores = figuresOf(entries);

        List<Finding> found = r.compare(LATER, stores, stores);

        // The stores hold the tampered entry as it is: their figures agree with the topic's.
        // What gives it away is its hash, and (its amount no longer matching the other leg) the
        // transaction's sum.
        assertThat(found)
                .extracting(Finding::kind)
                .containsExactly(Kind.SUM_NOT_ZERO, Kind.CHAIN_BREAK);
        assertThat(found.get(0).found()).isEqualTo("749");
        Finding brk = found.get(1);
        assertThat(brk.subject()).isEqualTo("acc-a");
        assertThat(brk.found()).isEqualTo("ALTERED_ENTRY at #2");
        assertThat(brk.windowStart()).isEqualTo(W1);
        assertThat(brk.detail()).contains("CREDIT 999 EUR");
        r.forgetBefore(LATER);
        assertThat(r.windows()).isZero();
        assertThat(r.compare(LATER, Map.of(), Map.of()))
                .as("a chain break is not forgotten with its window")
                .extracting(Finding::kind)
                .containsExactly(Kind.SUM_NOT_ZERO, Kind.CHAIN_BREAK);
    }

    @Test
    void aWindowThatDoesNotDivideADayIsRefused() {
        assertThatThrownBy(() -> new InternalReconciliation(Duration.ofMinutes(7), false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
