package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerRequest;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * One account's requests leave admission in arrival order, whatever order the gate's answers come
 * in, and each exactly once. Plain Java: no Flink.
 */
class AdmissionOrderTest {

    private static ClaimedRequest request(String id, long fingerprint) {
        return new ClaimedRequest(
                "acct", "p1\u0000tx\u0000" + id, fingerprint, new LedgerRequest());
    }

    private static GateAnswer answer(ClaimedRequest r, GateVerdict verdict) {
        IdClaim claim = new IdClaim(r.gateKey, r.fingerprint, r.account, null, null);
        return GateAnswer.verdict(claim, verdict);
    }

    @Test
    void aRequestWaitsForItsAnswerAndThoseBehindItWaitToo() {
        List<ClaimedRequest> queue = new ArrayList<>();
        ClaimedRequest first = request("a", 1);
        ClaimedRequest second = request("b", 2);
        assertThat(AdmissionOrder.onRequest(queue, first)).isEmpty();
        assertThat(AdmissionOrder.onRequest(queue, second)).isEmpty();

        assertThat(AdmissionOrder.onAnswer(queue, answer(second, GateVerdict.ADMITTED)))
                .as("the second is answered, but the first still waits")
                .isEmpty();
        assertThat(AdmissionOrder.onAnswer(queue, answer(first, GateVerdict.CONFLICT)))
                .containsExactly(first, second);
        assertThat(first.verdict).isEqualTo(GateVerdict.CONFLICT);
        assertThat(second.verdict).isEqualTo(GateVerdict.ADMITTED);
        assertThat(queue).isEmpty();
    }

    @Test
    void anAnswerThatComesFirstWaitsForItsRequestWithoutHoldingUpOthers() {
        List<ClaimedRequest> queue = new ArrayList<>();
        ClaimedRequest late = request("late", 1);
        ClaimedRequest other = request("other", 2);
        assertThat(AdmissionOrder.onAnswer(queue, answer(late, GateVerdict.ADMITTED))).isEmpty();
        assertThat(AdmissionOrder.onRequest(queue, other)).isEmpty();
        assertThat(AdmissionOrder.onAnswer(queue, answer(other, GateVerdict.ADMITTED)))
                .containsExactly(other);
        assertThat(AdmissionOrder.onRequest(queue, late)).containsExactly(late);
        assertThat(late.verdict).isEqualTo(GateVerdict.ADMITTED);
        assertThat(queue).isEmpty();
    }

    @Test
    void twoRequestsWithTheSameIdAndPayloadTakeTheAnswersInTurn() {
        List<ClaimedRequest> queue = new ArrayList<>();
        ClaimedRequest original = request("t", 7);
        ClaimedRequest retry = request("t", 7);
        AdmissionOrder.onRequest(queue, original);
        AdmissionOrder.onRequest(queue, retry);
        assertThat(AdmissionOrder.onAnswer(queue, answer(original, GateVerdict.ADMITTED)))
                .containsExactly(original);
        assertThat(AdmissionOrder.onAnswer(queue, answer(retry, GateVerdict.DUPLICATE)))
                .containsExactly(retry);
        assertThat(original.verdict).isEqualTo(GateVerdict.ADMITTED);
        assertThat(retry.verdict).isEqualTo(GateVerdict.DUPLICATE);
    }

    /**
     * Requests arrive in order 0..n-1; their answers come at arbitrary points after (or before)
     * them. Whatever the interleaving, every request leaves exactly once and in arrival order.
     */
    @Property(tries = 300)
    void releasedInArrivalOrderWhateverTheInterleaving(
            @ForAll("interleavings") List<Integer> events) {
        // n arrivals (-1: the next request in arrival order) and n answers (i: request i's), in a
        // random order: an answer can come before its request.
        int n = events.size() / 2;
        List<ClaimedRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(request("id" + i, i));
        }
        boolean[] answered = new boolean[n];
        int nextRequest = 0;
        List<ClaimedRequest> queue = new ArrayList<>();
        List<ClaimedRequest> released = new ArrayList<>();
        for (int e : events) {
            if (e < 0) {
                if (nextRequest < n) {
                    released.addAll(AdmissionOrder.onRequest(queue, requests.get(nextRequest++)));
                }
            } else {
                answered[e] = true;
                released.addAll(
                        AdmissionOrder.onAnswer(
                                queue, answer(requests.get(e), GateVerdict.ADMITTED)));
            }
        }
        while (nextRequest < n) {
            released.addAll(AdmissionOrder.onRequest(queue, requests.get(nextRequest++)));
        }
        for (int i = 0; i < n; i++) {
            if (!answered[i]) {
                released.addAll(
                        AdmissionOrder.onAnswer(
                                queue, answer(requests.get(i), GateVerdict.ADMITTED)));
            }
        }
        assertThat(released).containsExactlyElementsOf(requests);
        assertThat(queue).isEmpty();
    }

    @Provide
    Arbitrary<List<Integer>> interleavings() {
        return Arbitraries.integers()
                .between(1, 12)
                .flatMap(
                        n -> {
                            List<Integer> events = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                events.add(-1);
                                events.add(i);
                            }
                            return Arbitraries.shuffle(events);
                        });
    }
}
