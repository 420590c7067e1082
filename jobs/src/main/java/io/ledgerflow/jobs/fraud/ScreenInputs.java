package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.jobs.ledger.LedgerRouting;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Every admitted request, at the account it acts on first; and for a transfer also an inflow-only
 * copy at its destination, so the destination's screen sees money arrive (rapid in-and-out) when
 * the transfer is requested, without waiting for the credit's round trip through Kafka.
 */
public final class ScreenInputs implements FlatMapFunction<LedgerRequest, ScreenInput> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(LedgerRequest request, Collector<ScreenInput> out) {
        out.collect(new ScreenInput(LedgerRouting.accountOf(request), false, request));
        if (request.getRequest() instanceof MoneyMovement m
                && m.getType() == MovementType.TRANSFER
                && m.getDestinationAccountId() != null) {
            out.collect(new ScreenInput(m.getDestinationAccountId(), true, request));
        }
    }
}
