package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.audit.ChainBreak;
import io.ledgerflow.audit.HashChainVerifier;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.sinks.reconcile.Finding.Kind;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules of internal reconciliation, in plain Java: what the ledger's committed entries say (fed
 * in as they arrive from the entries topic, {@link #accept}) against what each store has ({@link
 * #compare}). No I/O: {@link ReconcileCommand} reads the topic and the stores.
 *
 * <p>Per partner, currency and window of {@code posted_time} (the ledger's own clock, the column
 * both stores partition by): the number of entries and the sum of their amounts. Checks, in this
 * order for one window and store: fewer entries ({@code MISSING_IN_*}), more entries ({@code
 * EXTRA_IN_*}), as many but another sum ({@code AMOUNT_MISMATCH_*}). Across all accounts: every
 * transaction's credits and debits in a currency add up to zero once its first entry is older than
 * the settle lag ({@code SUM_NOT_ZERO}, per window of that first entry; the system accounts take
 * the other side of deposits and withdrawals, so this is the ledger summing to zero, checked per
 * transaction so that a leg in flight is not a false alarm). Every account's hash chain, as its
 * entries arrive ({@code CHAIN_BREAK}, with the audit module's {@link HashChainVerifier}).
 */
public final class InternalReconciliation {

    /** A transaction whose entries do not add up to zero yet in one currency. */
    private record Open(String partnerId, String transactionId, Instant firstPosted, long sum) {}

    private final long windowMillis;
    private final HashChainVerifier chains;
    private final Map<WindowKey, Figures> expected = new HashMap<>();
    private final Map<String, Open> unbalanced = new LinkedHashMap<>();
    private final List<Finding> chainBreaks = new ArrayList<>();

    /**
     * @param window the window size (1 minute by default)
     * @param trustFirst start each account's chain at its first entry read (a topic whose oldest
     *     segments retention deleted); false: every chain must start at #1
     */
    public InternalReconciliation(Duration window, boolean trustFirst) {
        this.windowMillis = window.toMillis();
        if (windowMillis <= 0 || 86_400_000L % windowMillis != 0) {
            throw new IllegalArgumentException("the window must divide a day; got " + window);
        }
        this.chains = new HashChainVerifier(trustFirst);
    }

    /** The start of the window {@code t} falls in. */
    public Instant windowStart(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), windowMillis) * windowMillis);
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /** One committed entry, in the topic's order (each account's entries in sequence order). */
    public void accept(LedgerEntry e) {
        Instant start = windowStart(e.getPostedTime());
        expected.merge(
                new WindowKey(e.getPartnerId(), e.getCurrency(), start),
                Figures.NONE.plus(e.getAmountMinor()),
                (a, b) -> new Figures(a.count() + b.count(), a.amount().add(b.amount())));

        long signed =
                e.getDirection() == EntryDirection.CREDIT
                        ? e.getAmountMinor()
                        : -e.getAmountMinor();
        String tx = e.getCurrency() + '/' + e.getTransactionId();
        Open open = unbalanced.get(tx);
        long sum = (open == null ? 0 : open.sum()) + signed;
        if (sum == 0) {
            unbalanced.remove(
                    tx); // balanced: nothing to remember (bounds the map to legs in flight)
        } else {
            unbalanced.put(
                    tx,
                    open == null
                            ? new Open(
                                    e.getPartnerId(), e.getTransactionId(), e.getPostedTime(), sum)
                            : new Open(
                                    open.partnerId(),
                                    open.transactionId(),
                                    open.firstPosted(),
                                    sum));
        }

        ChainBreak brk = chains.accept(e);
        if (brk != null) {
            chainBreaks.add(
                    new Finding(
                            Kind.CHAIN_BREAK,
                            e.getPartnerId(),
                            e.getCurrency(),
                            start,
                            start.plusMillis(windowMillis),
                            e.getAccountId(),
                            "an intact chain",
                            brk.kind() + " at #" + brk.sequence(),
                            // One line: the row is read in tables and printed in logs.
                            // (The ClickHouse driver also failed to inline the padded form.)
                            String.join("; ", brk.describe().lines().map(String::strip).toList())
                                    .replaceAll("\\s+", " ")));
        }
    }

    /**
     * Compares every window that ends at or before {@code settledBefore} with what the stores have
     * for it, and returns every mismatch seen now. A store's figures may hold windows the ledger
     * has none for (only entries the ledger never committed): those are EXTRA.
     *
     * @param settledBefore windows ending later are not judged yet (the sinks' flush lag)
     * @param postgres the read model's figures for windows from {@link #oldestWindow()} on
     * @param clickHouse ClickHouse's, likewise
     */
    public List<Finding> compare(
            Instant settledBefore,
            Map<WindowKey, Figures> postgres,
            Map<WindowKey, Figures> clickHouse) {
        List<Finding> found = new ArrayList<>();
        compare(settledBefore, postgres, Store.POSTGRES, found);
        compare(settledBefore, clickHouse, Store.CLICKHOUSE, found);
        found.addAll(sumsNotZero(settledBefore));
        found.addAll(chainBreaks);
        found.sort(
                Comparator.comparing((Finding f) -> f.windowStart())
                        .thenComparing(f -> f.kind())
                        .thenComparing(Finding::partnerId)
                        .thenComparing(Finding::currency)
                        .thenComparing(Finding::subject));
        return found;
    }

    private enum Store {
        POSTGRES(Kind.MISSING_IN_POSTGRES, Kind.EXTRA_IN_POSTGRES, Kind.AMOUNT_MISMATCH_POSTGRES),
        CLICKHOUSE(
                Kind.MISSING_IN_CLICKHOUSE,
                Kind.EXTRA_IN_CLICKHOUSE,
                Kind.AMOUNT_MISMATCH_CLICKHOUSE);

        final Kind missing;
        final Kind extra;
        final Kind amount;

        Store(Kind missing, Kind extra, Kind amount) {
            this.missing = missing;
            this.extra = extra;
            this.amount = amount;
        }
    }

    private void compare(
            Instant settledBefore, Map<WindowKey, Figures> store, Store which, List<Finding> out) {
        Set<WindowKey> keys = new HashSet<>(expected.keySet());
        keys.addAll(store.keySet());
        for (WindowKey k : keys) {
            Instant end = k.start().plusMillis(windowMillis);
            if (end.isAfter(settledBefore)) {
                continue;
            }
            Figures want = expected.getOrDefault(k, Figures.NONE);
            Figures have = store.getOrDefault(k, Figures.NONE);
            Kind kind;
            String detail;
            if (have.count() < want.count()) {
                kind = which.missing;
                detail = (want.count() - have.count()) + " entries missing";
            } else if (have.count() > want.count()) {
                kind = which.extra;
                detail = (have.count() - want.count()) + " entries the ledger did not commit";
            } else if (!have.amount().equals(want.amount())) {
                kind = which.amount;
                detail = "amounts differ by " + have.amount().subtract(want.amount());
            } else {
                continue;
            }
            out.add(
                    new Finding(
                            kind,
                            k.partnerId(),
                            k.currency(),
                            k.start(),
                            end,
                            "",
                            want.toString(),
                            have.toString(),
                            detail));
        }
    }

    private List<Finding> sumsNotZero(Instant settledBefore) {
        // Per window of the first entry and currency: how far off, and which transactions.
        Map<WindowKey, List<Open>> byWindow =
                new TreeMap<>(
                        Comparator.comparing(WindowKey::start)
                                .thenComparing(WindowKey::currency)
                                .thenComparing(WindowKey::partnerId));
        for (Map.Entry<String, Open> e : unbalanced.entrySet()) {
            Open open = e.getValue();
            Instant start = windowStart(open.firstPosted());
            if (start.plusMillis(windowMillis).isAfter(settledBefore)) {
                continue;
            }
            String currency = e.getKey().substring(0, e.getKey().indexOf('/'));
            byWindow.computeIfAbsent(new WindowKey("", currency, start), k -> new ArrayList<>())
                    .add(open);
        }
        List<Finding> out = new ArrayList<>();
        byWindow.forEach(
                (k, opens) -> {
                    BigInteger sum =
                            opens.stream()
                                    .map(o -> BigInteger.valueOf(o.sum()))
                                    .reduce(BigInteger.ZERO, BigInteger::add);
                    List<String> ids =
                            opens.stream()
                                    .limit(10)
                                    .map(o -> o.partnerId() + "/" + o.transactionId())
                                    .toList();
                    out.add(
                            new Finding(
                                    Kind.SUM_NOT_ZERO,
                                    "",
                                    k.currency(),
                                    k.start(),
                                    k.start().plusMillis(windowMillis),
                                    "",
                                    "0",
                                    sum.toString(),
                                    opens.size()
                                            + " transactions do not add up to zero: "
                                            + String.join(", ", ids)
                                            + (opens.size() > ids.size() ? ", ..." : "")));
                });
        return out;
    }

    /** The oldest window still kept, or null when none: the stores are queried from there. */
    public Instant oldestWindow() {
        return expected.keySet().stream()
                .map(WindowKey::start)
                .min(Instant::compareTo)
                .orElse(null);
    }

    /**
     * Forgets windows that start before {@code before} (the horizon): they are no longer compared,
     * so the figures kept stay bounded. Chain state, chain breaks (at most one per account) and
     * unbalanced transactions stay: they are not cleared by time passing.
     */
    public void forgetBefore(Instant before) {
        expected.keySet().removeIf(k -> k.start().isBefore(before));
    }

    /** Windows kept. */
    public int windows() {
        return expected.size();
    }

    /** Entries read. */
    public long entries() {
        return chains.entries();
    }
}
