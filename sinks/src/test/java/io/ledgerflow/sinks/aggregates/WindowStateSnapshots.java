package io.ledgerflow.sinks.aggregates;

import static io.ledgerflow.sinks.testutils.Decisions.transfer;

import io.ledgerflow.avro.TransactionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * Writes the window state files of this version that {@code AggregateWindowsTest} restores ({@code
 * src/test/resources/aggregates/window-state-datasketches-*.snapshot}), so that a later change of
 * the state types, of {@link DistinctCountSerializer} or of the DataSketches version has to restore
 * what this version wrote. Run it only to add files for a new format, never to overwrite these:
 * {@code java -cp <sinks test class path> io.ledgerflow.sinks.aggregates.WindowStateSnapshots
 * sinks/src/test/resources/aggregates}.
 *
 * <p>The state: partner P1, minute 10:00 with {@link #DENSE_ACCOUNTS} transfers along a chain of
 * accounts A0..A{@value #DENSE_ACCOUNTS} (a dense sketch) that has fired, and minute 10:01 with two
 * transfers among A1, B1, B2 (a small one) that has not.
 */
final class WindowStateSnapshots {

    /** Transfers A(i) to A(i+1) in minute 10:00: that many plus one distinct accounts. */
    static final int DENSE_ACCOUNTS = 2_000;

    static final String PREFIX = "/aggregates/window-state-datasketches-";

    private WindowStateSnapshots() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (String backend : new String[] {"heap", "rocksdb"}) {
            try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> h =
                    harness()) {
                if (backend.equals("rocksdb")) {
                    h.setStateBackend(new EmbeddedRocksDBStateBackend());
                }
                h.open();
                for (int i = 0; i < DENSE_ACCOUNTS; i++) {
                    String at = Instant.parse("2026-03-02T10:00:00Z").plusMillis(i).toString();
                    process(h, transfer("d" + i, at, "P1", "A" + i, "A" + (i + 1), 10));
                }
                process(h, transfer("s1", "2026-03-02T10:01:05Z", "P1", "A1", "B1", 20));
                process(h, transfer("s2", "2026-03-02T10:01:10Z", "P1", "B1", "B2", 30));
                h.processWatermark(Instant.parse("2026-03-02T10:01:30Z").toEpochMilli());
                Path file =
                        dir.resolve(
                                PREFIX.substring(PREFIX.lastIndexOf('/') + 1)
                                        + backend
                                        + ".snapshot");
                OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 1), file.toString());
                System.out.println("written " + file);
            }
        }
    }

    /** The operator as the test restores it: partner levels, lateness 2 minutes. */
    static KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CascadingWindows(
                                WindowedAggregates.PARTNER_LEVELS,
                                Duration.ofMinutes(2).toMillis(),
                                WindowedAggregates.LATE_FOR_PARTNER)),
                Movement::key,
                Types.STRING);
    }

    static void process(
            KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> harness,
            TransactionResult r)
            throws Exception {
        Movement m = Movement.forPartner(r);
        harness.processElement(new StreamRecord<>(m, m.eventTimeMillis));
    }
}
