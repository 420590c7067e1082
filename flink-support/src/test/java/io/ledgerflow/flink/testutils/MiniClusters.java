package io.ledgerflow.flink.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniClusters the tests run jobs on, one definition instead of a builder per test class.
 * Register one per class ({@code @RegisterExtension static final MiniClusterExtension FLINK =
 * MiniClusters.of(1, 2)}): the cluster starts once for the class and every test submits to it.
 */
public final class MiniClusters {

    private MiniClusters() {}

    /** A cluster of {@code taskManagers} TaskManagers with {@code slots} slots each. */
    public static MiniClusterExtension of(int taskManagers, int slots) {
        return of(taskManagers, slots, new Configuration());
    }

    /**
     * The same, started with {@code conf}: what the TaskManagers read from the cluster rather than
     * the job (the changelog's storage) and defaults for every job (restarts, see {@link
     * Restarts}).
     */
    public static MiniClusterExtension of(int taskManagers, int slots, Configuration conf) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slots)
                        .setConfiguration(conf)
                        .build());
    }
}
