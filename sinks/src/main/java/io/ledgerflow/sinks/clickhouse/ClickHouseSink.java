package io.ledgerflow.sinks.clickhouse;

import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes records to one ClickHouse table in large batched inserts, at least once: rows are buffered
 * and inserted when {@code batchRows} are buffered, when {@code flushInterval} has passed since the
 * first buffered row, and at every checkpoint (so a completed checkpoint means its rows are in
 * ClickHouse). Replays after a failure insert rows again; the tables are ReplacingMergeTrees keyed
 * by the records' identity and queries read them deduplicated, which makes the result exactly once.
 */
public final class ClickHouseSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final ClickHouseTarget target;
    private final ClickHouseTable<T> table;
    private final int batchRows;
    private final Duration flushInterval;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public ClickHouseSink(
            ClickHouseTarget target,
            ClickHouseTable<T> table,
            int batchRows,
            Duration flushInterval,
            int maxRetries,
            Duration initialBackoff,
            Duration maxBackoff) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive");
        }
        this.target = target;
        this.table = table;
        this.batchRows = batchRows;
        this.flushInterval = flushInterval;
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new ClickHouseWriter<>(
                target,
                table,
                batchRows,
                flushInterval,
                new Backoff(maxRetries, initialBackoff, maxBackoff),
                context.getProcessingTimeService(),
                context.metricGroup());
    }

    /** Retry policy: up to {@code maxRetries} retries, delays doubling up to {@code max}. */
    record Backoff(int maxRetries, Duration initial, Duration max) implements java.io.Serializable {
        Duration delay(int retry) {
            long millis = initial.toMillis() << Math.min(retry, 20);
            return Duration.ofMillis(Math.min(millis, max.toMillis()));
        }
    }
}
