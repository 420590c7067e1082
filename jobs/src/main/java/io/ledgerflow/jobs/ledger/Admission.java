package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.fraud.ScreenInput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by account: lets an account's requests on to the fraud screen and the ledger in the order
 * they arrived (the order the API accepted them: one account's requests share a Kafka partition),
 * each once the {@link IdempotencyGate} has answered for it. Holds the waiting requests in keyed
 * state ({@link AdmissionOrder} decides the order), so a restore resumes exactly where the
 * checkpoint was.
 *
 * <p>An admitted movement with a bad shape gets its REJECTED result here; a duplicate is dropped; a
 * conflicting reuse of an id becomes a dead letter. Money an admitted transfer brings to this
 * account passes straight on to the fraud screen.
 */
public class Admission
        extends KeyedCoProcessFunction<String, ClaimedRequest, GateAnswer, ScreenInput> {

    private static final long serialVersionUID = 1L;

    /** Movements refused for their shape (amount, currency, accounts) get their result here. */
    public static final OutputTag<TransactionResult> REJECTED =
            new OutputTag<>("admission-rejections", new AvroTypeInfo<>(TransactionResult.class));

    /** Conflicting reuse of an id. */
    public static final OutputTag<DeadLetter> CONFLICTS =
            new OutputTag<>("admission-conflicts", new AvroTypeInfo<>(DeadLetter.class));

    private final String jobName;
    private final String requestsTopic;

    /** Requests waiting for the gate (and answers waiting for their request), in arrival order. */
    private transient ListState<ClaimedRequest> queue;

    public Admission(String jobName, String requestsTopic) {
        this.jobName = jobName;
        this.requestsTopic = requestsTopic;
    }

    @Override
    public void open(OpenContext openContext) {
        // Emptied as the gate answers, so no TTL is needed.
        queue =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "admission-queue",
                                        TypeInformation.of(ClaimedRequest.class)));
    }

    @Override
    public void processElement1(ClaimedRequest request, Context ctx, Collector<ScreenInput> out)
            throws Exception {
        List<ClaimedRequest> waiting = load();
        List<ClaimedRequest> released = AdmissionOrder.onRequest(waiting, request);
        store(waiting);
        admit(released, ctx, out);
    }

    @Override
    public void processElement2(GateAnswer answer, Context ctx, Collector<ScreenInput> out)
            throws Exception {
        if (answer.inflow != null) {
            out.collect(ScreenInput.inflow(answer.account, answer.inflow));
            return;
        }
        List<ClaimedRequest> waiting = load();
        List<ClaimedRequest> released = AdmissionOrder.onAnswer(waiting, answer);
        store(waiting);
        admit(released, ctx, out);
    }

    private List<ClaimedRequest> load() throws Exception {
        List<ClaimedRequest> waiting = new ArrayList<>(2);
        Iterable<ClaimedRequest> stored = queue.get();
        if (stored != null) {
            stored.forEach(waiting::add);
        }
        return waiting;
    }

    private void store(List<ClaimedRequest> waiting) throws Exception {
        if (waiting.isEmpty()) {
            queue.clear();
        } else {
            queue.update(waiting);
        }
    }

    private void admit(List<ClaimedRequest> released, Context ctx, Collector<ScreenInput> out) {
        for (ClaimedRequest entry : released) {
            switch (entry.verdict) {
                case ADMITTED -> {
                    if (entry.request.getRequest() instanceof MoneyMovement m) {
                        Rejection refused = MovementShape.check(m);
                        if (refused != null) {
                            ctx.output(REJECTED, refused.resultFor(m, now(ctx)));
                            continue;
                        }
                    }
                    out.collect(ScreenInput.request(entry.request));
                }
                case DUPLICATE -> {
                    // Its result already exists (or will): nothing to do.
                }
                case CONFLICT -> ctx.output(CONFLICTS, conflict(entry, ctx));
            }
        }
    }

    private static Instant now(Context ctx) {
        return Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
    }

    private DeadLetter conflict(ClaimedRequest entry, Context ctx) {
        String[] parts = entry.gateKey.split("\u0000");
        LedgerRequest request = entry.request;
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
                .setFailedTime(now(ctx))
                .build();
    }
}
