package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.DeadLetters;
import io.ledgerflow.flink.types.AvroRecordSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.util.OutputTag;

/**
 * The accounts' admission queues of one operator instance: lets each account's requests on in the
 * order they arrived (the order the API accepted them: one account's requests share a Kafka
 * partition), each once the {@link IdempotencyGate} has answered for it ({@link AdmissionOrder}
 * decides the order). Runs inside the fraud screen's operator, which is keyed by the same account,
 * so an admitted request is screened without another trip through the network.
 *
 * <p>The waiting requests live on the heap, not in keyed state: a request waits only for the gate's
 * answer, a few milliseconds, and writing every request to RocksDB and reading it back cost more
 * than the rest of admission. With aligned checkpoints the queues are empty whenever a snapshot is
 * taken: a request and its claim leave {@link IdentifyRequests} before the barrier that follows
 * them, so the claim's answer arrives before the barrier on the answers' path, and alignment waits
 * for both. Should anything be waiting all the same (unaligned checkpoints), the operator snapshots
 * {@link #waiting()} as union operator state, and on restore each instance {@link #restore keeps}
 * the entries of its own key groups.
 */
public final class Admission {

    /** Movements refused for their shape (amount, currency, accounts) get their result here. */
    public static final OutputTag<TransactionResult> REJECTED =
            new OutputTag<>(
                    "admission-rejections", AvroRecordSerializer.typeOf(TransactionResult.class));

    /** Conflicting reuse of an id. */
    public static final OutputTag<DeadLetter> CONFLICTS =
            new OutputTag<>("admission-conflicts", DeadLetters.TYPE);

    /** The operator state the waiting entries are snapshotted to (union: see the class comment). */
    public static final ListStateDescriptor<ClaimedRequest> SNAPSHOT =
            new ListStateDescriptor<>("admission-waiting", AdmissionSerializers.CLAIMED_REQUEST);

    private final Map<String, List<ClaimedRequest>> waiting = new HashMap<>();

    /** Queues a request at its account; returns the account's requests now released, in order. */
    public List<ClaimedRequest> onRequest(ClaimedRequest request) {
        List<ClaimedRequest> queue = queueOf(request.account);
        List<ClaimedRequest> released = AdmissionOrder.onRequest(queue, request);
        store(request.account, queue);
        return released;
    }

    /** Takes the gate's answer; returns the account's requests now released, in order. */
    public List<ClaimedRequest> onAnswer(GateAnswer answer) {
        List<ClaimedRequest> queue = queueOf(answer.account);
        List<ClaimedRequest> released = AdmissionOrder.onAnswer(queue, answer);
        store(answer.account, queue);
        return released;
    }

    /** Everything waiting, for a snapshot. */
    public List<ClaimedRequest> waiting() {
        List<ClaimedRequest> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        return all;
    }

    /** Takes back, from a snapshot of every instance, the entries whose account is {@code mine}. */
    public void restore(Iterable<ClaimedRequest> entries, Predicate<String> mine) {
        for (ClaimedRequest entry : entries) {
            if (mine.test(entry.account)) {
                waiting.computeIfAbsent(entry.account, a -> new ArrayList<>()).add(entry);
            }
        }
    }

    private List<ClaimedRequest> queueOf(String account) {
        List<ClaimedRequest> queue = waiting.get(account);
        return queue != null ? queue : new ArrayList<>(2);
    }

    private void store(String account, List<ClaimedRequest> queue) {
        if (queue.isEmpty()) {
            waiting.remove(account);
        } else {
            waiting.put(account, queue);
        }
    }

    /**
     * The REJECTED result of an admitted movement whose shape the ledger cannot take, or null when
     * it may go on. Only what failed the check where it was read is checked again, for the reason.
     */
    public static TransactionResult shapeRejection(ClaimedRequest entry, Instant now) {
        if (entry.wellFormed || !(entry.request.getRequest() instanceof MoneyMovement m)) {
            return null;
        }
        return MovementShape.check(m).resultFor(m, now);
    }

    /** The dead letter for a conflicting reuse of an id: the first one stands. */
    public static DeadLetter conflict(
            ClaimedRequest entry, String jobName, String requestsTopic, Instant now) {
        String[] parts = entry.gateKey.split("\u0000");
        return DeadLetters.pastTheSource(
                requestsTopic,
                parts[2],
                null,
                ReasonCode.DUPLICATE_TRANSACTION.name(),
                "partner "
                        + parts[0]
                        + " reused id "
                        + parts[2]
                        + " with a different payload; the first one stands: "
                        + entry.request,
                jobName,
                now);
    }
}
