package io.ledgerflow.jobs.ledger;

import io.ledgerflow.flink.StateRetention;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets each transaction id (and account command id) of a partner into the ledger at most once.
 *
 * <p>Keyed by {@link RequestIdentity#keyOf partner and id}, not by account: a retry of the same id
 * could name a different account, and would then slip past a check kept at the account's key. It
 * sees only {@link IdClaim claims} and answers each at the account that waits for it ({@link
 * Admission}), so that account's requests keep the order they were accepted in. The first claim of
 * an id is {@link GateVerdict#ADMITTED}; a repeat with the same fingerprint is a {@link
 * GateVerdict#DUPLICATE}, with a different one a {@link GateVerdict#CONFLICT}. An admitted transfer
 * also announces its money at its destination. Ids are remembered for a configurable retention
 * (state TTL); the state (name, type, key) is the one earlier versions kept, so a savepoint's ids
 * carry over.
 */
public class IdempotencyGate extends KeyedProcessFunction<String, IdClaim, GateAnswer> {

    private static final long serialVersionUID = 1L;

    private final Duration retention;

    private transient ValueState<Long> fingerprint;

    public IdempotencyGate(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>("fingerprint", Long.class);
        descriptor.enableTimeToLive(StateRetention.afterLastWrite(retention));
        fingerprint = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(IdClaim claim, Context ctx, Collector<GateAnswer> out)
            throws Exception {
        Long seen = fingerprint.value();
        if (seen != null) {
            out.collect(
                    GateAnswer.verdict(
                            claim,
                            seen == claim.fingerprint
                                    ? GateVerdict.DUPLICATE
                                    : GateVerdict.CONFLICT));
            return;
        }
        fingerprint.update(claim.fingerprint);
        out.collect(GateAnswer.verdict(claim, GateVerdict.ADMITTED));
        if (claim.inflow != null) {
            out.collect(GateAnswer.inflow(claim));
        }
    }
}
