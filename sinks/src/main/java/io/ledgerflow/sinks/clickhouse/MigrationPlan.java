package io.ledgerflow.sinks.clickhouse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which migrations still have to run, given the ones available and the ones a database has recorded
 * as applied. Pure, so its rules are tested without a server: versions are unique, run in ascending
 * order, an applied migration must still have its recorded checksum, and a database that knows a
 * version this build does not is newer than the build (refused).
 */
public final class MigrationPlan {

    private MigrationPlan() {}

    /**
     * @param available the migrations this build ships, in any order
     * @param appliedChecksums version to checksum, as recorded in the database
     * @return the migrations to apply, ascending by version; empty when the database is current
     */
    public static List<Migration> pending(
            Collection<Migration> available, Map<Integer, String> appliedChecksums) {
        TreeMap<Integer, Migration> byVersion = new TreeMap<>();
        for (Migration m : available) {
            Migration clash = byVersion.put(m.version(), m);
            if (clash != null) {
                throw new IllegalStateException(
                        "two migrations with version "
                                + m.version()
                                + ": "
                                + clash.description()
                                + ", "
                                + m.description());
            }
        }
        for (Map.Entry<Integer, String> applied : appliedChecksums.entrySet()) {
            Migration m = byVersion.get(applied.getKey());
            if (m == null) {
                throw new IllegalStateException(
                        "database has migration V"
                                + applied.getKey()
                                + " that this build does not know; is the build older?");
            }
            if (!m.checksum().equals(applied.getValue())) {
                throw new IllegalStateException(
                        "migration V"
                                + m.version()
                                + " ("
                                + m.description()
                                + ") was changed after it was applied; add a new migration"
                                + " instead of editing an applied one");
            }
        }
        List<Migration> pending = new ArrayList<>();
        for (Migration m : byVersion.values()) {
            if (!appliedChecksums.containsKey(m.version())) {
                pending.add(m);
            }
        }
        pending.sort(Comparator.comparingInt(Migration::version));
        return pending;
    }
}
