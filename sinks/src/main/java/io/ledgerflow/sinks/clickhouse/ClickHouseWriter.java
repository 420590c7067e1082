package io.ledgerflow.sinks.clickhouse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of {@link ClickHouseSink}. Runs on the task's mailbox thread only (writes, the flush
 * timer and checkpoint flushes), so the buffer needs no locking.
 */
final class ClickHouseWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseWriter.class);

    private final ClickHouseTarget target;
    private final ClickHouseTable<T> table;
    private final int batchRows;
    private final Duration flushInterval;
    private final ClickHouseSink.Backoff backoff;
    private final ProcessingTimeService timers;
    private final List<T> buffer;
    private final Counter retries;
    private final Counter inserts;
    private final Counter rowsOut;
    private Connection connection;
    private boolean timerPending;

    ClickHouseWriter(
            ClickHouseTarget target,
            ClickHouseTable<T> table,
            int batchRows,
            Duration flushInterval,
            ClickHouseSink.Backoff backoff,
            ProcessingTimeService timers,
            SinkWriterMetricGroup metrics) {
        this.target = target;
        this.table = table;
        this.batchRows = batchRows;
        this.flushInterval = flushInterval;
        this.backoff = backoff;
        this.timers = timers;
        this.buffer = new ArrayList<>(Math.min(batchRows, 100_000));
        this.retries = metrics.counter("clickHouseRetries");
        this.inserts = metrics.counter("clickHouseInserts");
        this.rowsOut = metrics.getNumRecordsSendCounter();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        buffer.add(element);
        if (buffer.size() >= batchRows) {
            insertBuffered();
        } else if (!timerPending) {
            // The interval runs from the first row waiting, so no row waits much longer than it.
            timerPending = true;
            timers.registerTimer(
                    timers.getCurrentProcessingTime() + flushInterval.toMillis(),
                    time -> {
                        timerPending = false;
                        insertBuffered();
                    });
        }
    }

    /** Called before every checkpoint barrier goes downstream, and at end of input. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        insertBuffered();
    }

    private void insertBuffered() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        for (int retry = 0; ; retry++) {
            try {
                insert(buffer);
                inserts.inc();
                rowsOut.inc(buffer.size());
                buffer.clear();
                return;
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                if (retry >= backoff.maxRetries() || !TransientFailures.isTransient(e)) {
                    // The task fails and restarts from its checkpoint; the rows are replayed.
                    throw new IOException(
                            "insert of "
                                    + buffer.size()
                                    + " rows failed after "
                                    + retry
                                    + " retries: "
                                    + e.getMessage(),
                            e);
                }
                Duration delay = backoff.delay(retry);
                LOG.warn(
                        "ClickHouse insert of {} rows failed ({}); retry {} in {} ms",
                        buffer.size(),
                        e.getMessage(),
                        retry + 1,
                        delay.toMillis());
                retries.inc();
                Thread.sleep(delay.toMillis());
            }
        }
    }

    private void insert(List<T> rows) throws SQLException {
        if (connection == null) {
            connection = target.connect();
        }
        try (PreparedStatement ps = connection.prepareStatement(table.insertSql())) {
            // The driver inlines a batch's values into one INSERT and, with escape processing on,
            // runs JDBC escape rewriting ({fn ...}, {d '...'}) over all of it: it rewrote ids and
            // texts that contain such sequences, and its regular expressions were the busiest code
            // of the sinks' own threads in a profile. Our statements use no escapes.
            ps.setEscapeProcessing(false);
            for (T row : rows) {
                table.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // The connection is being dropped because it failed; nothing more to do.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
