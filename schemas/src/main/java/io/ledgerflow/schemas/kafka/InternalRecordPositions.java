package io.ledgerflow.schemas.kafka;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a record of an internal topic is, as operators name it: {@code topic-partition@offset}.
 * Both Flink jobs read internal topics (the ledger its instruction loop, the sinks the ledger's
 * outputs), stop at a record there that cannot be read, and take the same {@code
 * --skip-internal-records} setting to skip exactly the positions an operator chose; the format and
 * its parsing live here so that the two jobs, the exception and the runbook agree on it.
 */
public final class InternalRecordPositions {

    /** The setting's name, without the leading {@code --}. */
    public static final String SETTING = "skip-internal-records";

    private InternalRecordPositions() {}

    /** A record's position: {@code topic-partition@offset}. */
    public static String of(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    /**
     * The value of {@code --skip-internal-records}: {@code topic-partition@offset,...}, blanks
     * around commas ignored, empty = none. Each must name a partition and an offset.
     */
    public static Set<String> parse(String list) {
        Set<String> positions =
                Arrays.stream(list.split(","))
                        .map(String::trim)
                        .filter(p -> !p.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
        for (String p : positions) {
            if (!p.matches(".+-[0-9]+@[0-9]+")) {
                throw new IllegalArgumentException(
                        "--" + SETTING + ": expected topic-partition@offset, got " + p);
            }
        }
        return positions;
    }
}
