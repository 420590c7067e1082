package io.ledgerflow.flink;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * How long keyed state that nothing else clears is kept: the state TTL every job uses, so that seen
 * ids, ended holds, refundable credits and fraud profiles all expire the same way.
 *
 * <p>The clock restarts at every write (a regular payee stays known, a hold's retention counts from
 * its last change), never at a read, so reading state does not keep it alive. Expired values are
 * never returned, even before they are physically gone; RocksDB drops them in its compactions,
 * reading the clock every 1,000 entries.
 *
 * <p>The settings are part of the savepoint contract: a state written with TTL must be restored
 * with TTL, so change them only with the runbook's compatibility rules in mind.
 */
public final class StateRetention {

    /** Entries RocksDB's compaction filter processes before it reads the clock again. */
    static final long ENTRIES_PER_CLOCK_READ = 1000;

    private StateRetention() {}

    /** State kept for {@code retention} after its last write. */
    public static StateTtlConfig afterLastWrite(Duration retention) {
        return StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(ENTRIES_PER_CLOCK_READ)
                .build();
    }
}
