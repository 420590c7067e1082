package io.ledgerflow.testdata.check;

import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.Request;
import io.ledgerflow.testdata.target.Outcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Collects a run's {@link RunRecord} from the answers as they arrive (a load runner listener); safe
 * to call from the targets' answering threads.
 */
public final class RunRecorder implements BiConsumer<Request, Outcome> {

    private final String runId;
    private final String namespace;
    private final String target;
    private final AtomicLong accountsOpened = new AtomicLong();
    private final TransactionIdSet accepted;
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    public RunRecorder(String runId, String namespace, String target) {
        this.runId = runId;
        this.namespace = namespace;
        this.target = target;
        this.accepted = new TransactionIdSet(runId);
    }

    @Override
    public void accept(Request request, Outcome outcome) {
        String kind =
                request instanceof Movement m
                        ? (m.isInvalid() ? "INVALID" : m.type().name())
                        : "OPEN";
        sent.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (!outcome.accepted()) {
            refused.computeIfAbsent(outcome.errorType(), k -> new LongAdder()).increment();
        } else if (request instanceof AccountOpening) {
            accountsOpened.incrementAndGet();
        } else {
            accepted.add(((Movement) request).transactionId());
        }
    }

    /** The record so far (complete once the runs that feed it have drained). */
    public RunRecord record() {
        return new RunRecord(
                runId,
                namespace,
                target,
                accountsOpened.get(),
                accepted.encode(),
                sums(sent),
                sums(refused));
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
