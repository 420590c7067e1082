package io.ledgerflow.jobs.ledger;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One account's requests, released in the order they arrived once the idempotency gate has answered
 * for each. Plain Java over the queue the operator keeps in keyed state.
 *
 * <p>A request and the gate's answer about it travel different paths (the answer through the gate,
 * keyed by id), so either can come first. A request waits for its answer; an answer that comes
 * first waits for its request, without holding up the queue. A request is matched to its answer by
 * gate key and fingerprint: two requests with the same id and payload are interchangeable, and the
 * gate answers them in the order it saw them.
 */
final class AdmissionOrder {

    private AdmissionOrder() {}

    /**
     * Queues {@code arrived} (taking an answer that came first) and returns the requests now
     * released, in arrival order.
     */
    static List<ClaimedRequest> onRequest(List<ClaimedRequest> queue, ClaimedRequest arrived) {
        for (Iterator<ClaimedRequest> it = queue.iterator(); it.hasNext(); ) {
            ClaimedRequest entry = it.next();
            if (entry.request == null && entry.matches(arrived.gateKey, arrived.fingerprint)) {
                arrived.verdict = entry.verdict;
                it.remove();
                break;
            }
        }
        queue.add(arrived);
        return release(queue);
    }

    /**
     * Gives the gate's answer to the first request it is about that has none yet (or keeps it for
     * the request still on its way), and returns the requests now released, in arrival order.
     */
    static List<ClaimedRequest> onAnswer(List<ClaimedRequest> queue, GateAnswer answer) {
        ClaimedRequest waiting = null;
        for (ClaimedRequest entry : queue) {
            if (entry.request != null
                    && entry.verdict == null
                    && entry.matches(answer.gateKey, answer.fingerprint)) {
                waiting = entry;
                break;
            }
        }
        if (waiting == null) {
            queue.add(ClaimedRequest.earlyAnswer(answer));
            return List.of();
        }
        waiting.verdict = answer.verdict;
        return release(queue);
    }

    /** Removes and returns the answered requests before the first unanswered one. */
    private static List<ClaimedRequest> release(List<ClaimedRequest> queue) {
        List<ClaimedRequest> released = new ArrayList<>(1);
        for (Iterator<ClaimedRequest> it = queue.iterator(); it.hasNext(); ) {
            ClaimedRequest entry = it.next();
            if (entry.request == null) {
                continue; // an early answer: waits for its request, blocks nothing
            }
            if (entry.verdict == null) {
                break;
            }
            released.add(entry);
            it.remove();
        }
        return released;
    }
}
