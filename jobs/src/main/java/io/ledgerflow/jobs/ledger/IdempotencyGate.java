package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets each transaction id (and account command id) of a partner into the ledger at most once, and
 * rejects movements that break structural rules before they reach an account.
 *
 * <p>Keyed by {@link #keyOf partner and id}, not by account: a retry of the same id could name a
 * different account, and would then slip past a check kept at the account's key. The first request
 * with an id passes; a repeat with the same payload (ignoring {@code receivedTime}, which a
 * resubmission changes) is dropped, since its result already exists; a repeat with a different
 * payload goes to the dead-letter output with reason {@code DUPLICATE_TRANSACTION} and does not
 * touch the original's result. Ids are remembered for a configurable retention (state TTL).
 */
public class IdempotencyGate extends KeyedProcessFunction<String, LedgerRequest, LedgerRequest> {

    private static final long serialVersionUID = 1L;

    /** Movements refused for their shape (amount, currency, accounts) get their result here. */
    public static final OutputTag<TransactionResult> REJECTED =
            new OutputTag<>("gate-rejections", new AvroTypeInfo<>(TransactionResult.class));

    /** Conflicting reuse of an id. */
    public static final OutputTag<DeadLetter> CONFLICTS =
            new OutputTag<>("gate-conflicts", new AvroTypeInfo<>(DeadLetter.class));

    private final Duration retention;
    private final String jobName;
    private final String requestsTopic;

    private transient ValueState<Long> fingerprint;
    private transient SpecificDatumWriter<LedgerRequest> writer;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;
    private transient MessageDigest sha256;

    public IdempotencyGate(Duration retention, String jobName, String requestsTopic) {
        this.retention = retention;
        this.jobName = jobName;
        this.requestsTopic = requestsTopic;
    }

    /** The gate's key: ids are unique per partner, movements and commands apart. */
    public static String keyOf(LedgerRequest request) {
        if (request.getRequest() instanceof MoneyMovement m) {
            return m.getPartnerId() + "\u0000tx\u0000" + m.getTransactionId();
        }
        AccountCommand c = (AccountCommand) request.getRequest();
        return c.getPartnerId() + "\u0000cmd\u0000" + c.getCommandId();
    }

    @Override
    public void open(OpenContext openContext) throws NoSuchAlgorithmException {
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>("fingerprint", Long.class);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(retention)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .cleanupInRocksdbCompactFilter(1000)
                        .build());
        fingerprint = getRuntimeContext().getState(descriptor);
        writer = new SpecificDatumWriter<>(LedgerRequest.class);
        buffer = new ByteArrayOutputStream(256);
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public void processElement(LedgerRequest request, Context ctx, Collector<LedgerRequest> out)
            throws IOException {
        long print = fingerprintOf(request);
        Long seen = fingerprint.value();
        if (seen != null) {
            if (seen != print) {
                ctx.output(CONFLICTS, conflict(request, ctx));
            }
            return;
        }
        fingerprint.update(print);
        if (request.getRequest() instanceof MoneyMovement m) {
            Rejection refused = MovementShape.check(m);
            if (refused != null) {
                ctx.output(
                        REJECTED,
                        refused.resultFor(
                                m,
                                Instant.ofEpochMilli(ctx.timerService().currentProcessingTime())));
                return;
            }
        }
        out.collect(request);
    }

    /** 64 bits of SHA-256 over the request as Avro, with {@code receivedTime} cleared. */
    private long fingerprintOf(LedgerRequest request) throws IOException {
        LedgerRequest normalized = LedgerRequest.newBuilder(request).build();
        if (normalized.getRequest() instanceof MoneyMovement m) {
            normalized.setRequest(
                    MoneyMovement.newBuilder(m).setReceivedTime(Instant.EPOCH).build());
        } else {
            AccountCommand c = (AccountCommand) normalized.getRequest();
            normalized.setRequest(
                    AccountCommand.newBuilder(c).setReceivedTime(Instant.EPOCH).build());
        }
        buffer.reset();
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        writer.write(normalized, encoder);
        encoder.flush();
        return ByteBuffer.wrap(sha256.digest(buffer.toByteArray())).getLong();
    }

    private DeadLetter conflict(LedgerRequest request, Context ctx) {
        String[] parts = ctx.getCurrentKey().split("\u0000");
        return DeadLetter.newBuilder()
                .setSourceTopic(requestsTopic)
                .setSourcePartition(-1)
                .setSourceOffset(-1)
                .setKey(ByteBuffer.wrap(parts[2].getBytes(StandardCharsets.UTF_8)))
                .setValue(null)
                .setReason(ReasonCode.DUPLICATE_TRANSACTION.name())
                .setDetail(
                        "partner "
                                + parts[0]
                                + " reused id "
                                + parts[2]
                                + " with a different payload; the first one stands: "
                                + request)
                .setJob(jobName)
                .setFailedTime(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                .build();
    }
}
