package io.ledgerflow.jobs.fraud;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of an account's remembered movements the windowed rules see, and when the stored list is
 * rewritten: plain Java, so {@link FraudScreen}'s bookkeeping is tested without Flink.
 *
 * <p>Why the list is appended to, not rewritten: the screen used to read the account's whole list,
 * prune it and write it back on every movement, so a busy account (up to {@code maxActivities}
 * movements) cost hundreds of serialized elements per movement, twice under the changelog state
 * backend (RocksDB and the log). That was the busiest code in the local platform's profile at 300
 * transfers/s (`docs/benchmarks.md`). Now a movement is appended (one element written; RocksDB
 * merges it, the changelog logs only it), and the list is rewritten pruned only when it holds
 * {@link #slack} more movements than the rules see. The rules see the same movements as before:
 * {@link #kept} applies the old pruning to whatever is stored.
 */
final class RecentActivity {

    private final long retentionMillis;
    private final int maxActivities;

    RecentActivity(FraudScreenSettings settings) {
        this.retentionMillis = settings.activityRetention().toMillis();
        this.maxActivities = settings.maxActivities();
    }

    /**
     * How many movements beyond what the rules see the stored list may hold before it is rewritten:
     * a quarter of {@code maxActivities} (at least 8), so a rewrite costs about five element writes
     * per movement at most, and reads stay within 1.25 times the list the rules see.
     */
    int slack() {
        return Math.max(8, maxActivities / 4);
    }

    /**
     * The movements the rules see among {@code stored} (in the order they were remembered): those
     * later than {@code activityRetention} before the newest one (event time), and of those the
     * last {@code maxActivities}, so a busy account's view stays bounded whatever the traffic.
     */
    List<AccountActivity> kept(List<AccountActivity> stored) {
        long newest = Long.MIN_VALUE;
        for (AccountActivity a : stored) {
            newest = Math.max(newest, a.time);
        }
        long horizon = newest - retentionMillis;
        List<AccountActivity> in = new ArrayList<>(Math.min(stored.size(), maxActivities));
        for (AccountActivity a : stored) {
            if (a.time > horizon) {
                in.add(a);
            }
        }
        int excess = in.size() - maxActivities;
        return excess > 0 ? new ArrayList<>(in.subList(excess, in.size())) : in;
    }

    /** The stored list with {@code added} appended, pruned: what a rewrite stores. */
    List<AccountActivity> keptWith(List<AccountActivity> stored, AccountActivity added) {
        List<AccountActivity> all = new ArrayList<>(stored.size() + 1);
        all.addAll(stored);
        all.add(added);
        return kept(all);
    }

    /**
     * True if a movement may be appended to a stored list of {@code storedLength} movements of
     * which the rules see {@code seen}; false if the list should be rewritten pruned instead. An
     * unknown length (null: a list stored before lengths were counted) is always rewritten once.
     */
    boolean appendable(Integer storedLength, int seen) {
        return storedLength != null
                && storedLength - seen < slack()
                && storedLength < maxActivities + slack();
    }
}
