package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.fraud.FraudScreen;
import io.ledgerflow.jobs.fraud.FraudScreenSettings;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;

/**
 * The operator in front of the ledger, keyed by account: {@link Admission} lets the account's
 * requests on in the order they were accepted, each once the {@link IdempotencyGate} has answered
 * for it, and the {@link FraudScreen} judges each admitted movement before any money moves. One
 * operator because both are keyed by the account: an admitted request is screened without another
 * trip through the network.
 *
 * <p>Admission's refusals (a movement of the wrong shape, a conflicting reuse of an id) leave here;
 * everything the screen forwards is at the ledger's key. The operator's state is the screen's
 * (keyed, plus the rules as broadcast state) and admission's waiting requests (union operator state
 * {@link Admission#SNAPSHOT}, empty at every aligned checkpoint): the names and serializers of
 * earlier versions, under the uid {@code fraud-screen}, so savepoints restore.
 */
public class AdmissionAndScreen extends FraudScreen<ScreenInput> implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private final String jobName;
    private final String requestsTopic;

    private transient Admission admission;
    private transient ListState<ClaimedRequest> admissionSnapshot;

    public AdmissionAndScreen(
            FraudScreenSettings settings, String jobName, String rulesTopic, String requestsTopic) {
        super(settings, jobName, rulesTopic);
        this.jobName = jobName;
        this.requestsTopic = requestsTopic;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        admission = new Admission();
        admissionSnapshot = context.getOperatorStateStore().getUnionListState(Admission.SNAPSHOT);
        if (context.isRestored()) {
            TaskInfo task = getRuntimeContext().getTaskInfo();
            int maxParallelism = task.getMaxNumberOfParallelSubtasks();
            KeyGroupRange mine =
                    KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                            maxParallelism,
                            task.getNumberOfParallelSubtasks(),
                            task.getIndexOfThisSubtask());
            admission.restore(
                    admissionSnapshot.get(),
                    account ->
                            mine.contains(
                                    KeyGroupRangeAssignment.assignToKeyGroup(
                                            account, maxParallelism)));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        admissionSnapshot.update(admission.waiting());
    }

    /**
     * Admission first (the account's requests in arrival order, each once the gate has answered),
     * then the screen for each request admitted.
     */
    @Override
    public void processElement(ScreenInput input, ReadOnlyContext ctx, Collector<LedgerRequest> out)
            throws Exception {
        if (input.answer != null && input.answer.inflow != null) {
            // The destination of a transfer: money coming in, for rapid in-and-out.
            observeInflow(input.answer.inflow, ctx);
            return;
        }
        List<ClaimedRequest> released =
                input.answer != null
                        ? admission.onAnswer(input.answer)
                        : admission.onRequest(input.request);
        for (ClaimedRequest entry : released) {
            switch (entry.verdict) {
                case ADMITTED -> {
                    TransactionResult refused = Admission.shapeRejection(entry, now(ctx));
                    if (refused != null) {
                        ctx.output(Admission.REJECTED, refused);
                    } else {
                        screen(entry.request, ctx, out);
                    }
                }
                case DUPLICATE -> {
                    // Its result already exists (or will): nothing to do.
                }
                case CONFLICT ->
                        ctx.output(
                                Admission.CONFLICTS,
                                Admission.conflict(entry, jobName, requestsTopic, now(ctx)));
            }
        }
    }

    private static Instant now(ReadOnlyContext ctx) {
        return Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
    }
}
