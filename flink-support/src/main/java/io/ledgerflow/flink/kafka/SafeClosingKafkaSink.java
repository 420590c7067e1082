package io.ledgerflow.flink.kafka;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's {@link KafkaSink}, unchanged except that closing its writer or committer never
 * throws, so a failing task cannot take its TaskManager down with it.
 *
 * <p>Why. Since Flink 2.2 (FLINK-38180) a failed or cancelled task runs its clean-up (operator
 * {@code close()}) after it has switched to FAILED/CANCELED, inside {@code Task.doRun}'s exception
 * handler; anything thrown there is logged as "FATAL - exception in exception handler" and reported
 * to the TaskManager as a fatal error, which stops the TaskManager and every task on it. The
 * exactly-once writer of flink-connector-kafka 4.0.1 throws there on every failure that leaves
 * records in an open transaction: {@code ExactlyOnceKafkaWriter.close()} aborts the transaction,
 * the producer fails the batches it had not sent yet with {@code TransactionAbortedException}, the
 * writer's send callback records that as an asynchronous send error (the writer is not marked
 * closed yet), and {@code KafkaWriter.close()} rethrows it as "One or more Kafka Producer send
 * requests have encountered exception". Fixed upstream in flink-connector-kafka 5.0.0 (FLINK-38790,
 * FLINK-38947); even there, a send error recorded before the failure is still rethrown by close.
 *
 * <p>Why dropping close errors is safe: everything the writer produced after the last completed
 * checkpoint is in a transaction that is never committed (close aborts it, or the restored writer
 * aborts it as lingering), and the records are replayed from the checkpoint. Send errors that
 * matter surface earlier, from {@code write} and from the {@code flush} before every checkpoint and
 * at end of input, and still fail the task there. The committer's close only releases producers; a
 * commit it did not finish is committed again by the restored job from its checkpoint. So close
 * failures are logged and dropped; every other call goes to the connector unchanged (same writer
 * state, same committables and serializers, same writer/committer co-location, so checkpoints and
 * savepoints are unaffected).
 */
public final class SafeClosingKafkaSink<IN>
        implements TwoPhaseCommittingStatefulSink<IN, KafkaWriterState, KafkaCommittable>,
                SupportsPostCommitTopology<KafkaCommittable>,
                LineageVertexProvider {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SafeClosingKafkaSink.class);

    private final KafkaSink<IN> kafka;

    public SafeClosingKafkaSink(KafkaSink<IN> kafka) {
        this.kafka = kafka;
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> createWriter(
            WriterInitContext context) throws IOException {
        return new Writer<>(kafka.createWriter(context));
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> restoreWriter(
            WriterInitContext context, Collection<KafkaWriterState> recoveredState)
            throws IOException {
        return new Writer<>(kafka.restoreWriter(context, recoveredState));
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return kafka.getWriterStateSerializer();
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        return new SafeClosingCommitter(kafka.createCommitter(context));
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return kafka.getCommittableSerializer();
    }

    /** The connector co-locates writer and committer here (they share producers in-process). */
    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committer) {
        kafka.addPostCommitTopology(committer);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return kafka.getLineageVertex();
    }

    /** Logs a close failure instead of throwing it into the task's failure clean-up. */
    private static void closeQuietly(AutoCloseable closeable, String what) {
        try {
            closeable.close();
        } catch (InterruptedException e) {
            // Cancellation interrupts the task thread; keep the flag for whoever runs next.
            Thread.currentThread().interrupt();
            LOG.warn(
                    "Closing the Kafka {} was interrupted; its transaction is aborted on restore",
                    what);
        } catch (Exception e) {
            LOG.warn(
                    "Closing the Kafka {} failed; its uncommitted transaction is aborted and its"
                            + " records are replayed from the last checkpoint",
                    what,
                    e);
        }
    }

    private static final class Writer<IN>
            implements PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> {

        private final PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable>
                delegate;

        Writer(PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            delegate.write(element, context);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            delegate.writeWatermark(watermark);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        public Collection<KafkaCommittable> prepareCommit()
                throws IOException, InterruptedException {
            return delegate.prepareCommit();
        }

        @Override
        public List<KafkaWriterState> snapshotState(long checkpointId) throws IOException {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public void close() {
            closeQuietly(delegate, "sink writer");
        }
    }

    private static final class SafeClosingCommitter implements Committer<KafkaCommittable> {

        private final Committer<KafkaCommittable> delegate;

        SafeClosingCommitter(Committer<KafkaCommittable> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void commit(Collection<CommitRequest<KafkaCommittable>> requests)
                throws IOException, InterruptedException {
            delegate.commit(requests);
        }

        @Override
        public void close() {
            closeQuietly(delegate, "sink committer");
        }
    }
}
