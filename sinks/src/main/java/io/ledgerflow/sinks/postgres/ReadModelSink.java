package io.ledgerflow.sinks.postgres;

import java.io.IOException;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An at-least-once flink-connector-jdbc sink whose writer cannot take its TaskManager down.
 *
 * <p>Why: the connector's writer flushes again in {@code close()} and throws a {@code
 * RuntimeException} when that fails. After a task has already failed because the database is down,
 * {@code close()} runs in the task's failure cleanup, and an exception there is "an exception in
 * the exception handler", which Flink treats as fatal for the whole TaskManager (every task on it,
 * of every job, dies with it). Rows that close() could not flush are not lost: the task restarts
 * from its last checkpoint and they are replayed. So close failures are logged and dropped here;
 * write and checkpoint flush failures still fail the task as before.
 */
public final class ReadModelSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final JdbcSink<T> jdbc;

    /** Run by the writer when it starts and once per interval after that; null for none. */
    private final MonthPartitions partitions;

    public ReadModelSink(JdbcSink<T> jdbc) {
        this(jdbc, null);
    }

    public ReadModelSink(JdbcSink<T> jdbc, MonthPartitions partitions) {
        this.jdbc = jdbc;
        this.partitions = partitions;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        SinkWriter<T> delegate = jdbc.createWriter(context);
        // One subtask is enough; the database serializes concurrent runs anyway.
        boolean maintains =
                partitions != null && context.getTaskInfo().getIndexOfThisSubtask() == 0;
        if (maintains) {
            partitions.maintain();
        }
        return new SinkWriter<>() {
            private final Logger log = LoggerFactory.getLogger(ReadModelSink.class);
            private long lastMaintained = System.nanoTime();

            @Override
            public void write(T element, Context ctx) throws IOException, InterruptedException {
                delegate.write(element, ctx);
            }

            @Override
            public void writeWatermark(Watermark watermark)
                    throws IOException, InterruptedException {
                delegate.writeWatermark(watermark);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                delegate.flush(endOfInput);
                if (maintains
                        && System.nanoTime() - lastMaintained
                                > MonthPartitions.INTERVAL.toNanos()) {
                    lastMaintained = System.nanoTime();
                    partitions.maintain();
                }
            }

            @Override
            public void close() {
                try {
                    delegate.close();
                } catch (Exception e) {
                    log.warn(
                            "Closing the read model writer failed; its unflushed rows are replayed"
                                    + " from the last checkpoint: {}",
                            e.toString());
                }
            }
        };
    }
}
