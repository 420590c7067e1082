package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.jobs.fraud.AccountActivity;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Every admitted request, at the account it acts on first; and for a transfer also its inflow at
 * the destination, so the destination's screen sees money arrive (rapid in-and-out) when the
 * transfer is requested, without waiting for the credit's round trip through Kafka. In the job the
 * two travel apart (the inflow with the idempotency gate's answer, see {@link Admission}); tests
 * feed the admission and screen operator through this function.
 */
public final class ScreenInputs implements FlatMapFunction<LedgerRequest, ScreenInput> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(LedgerRequest request, Collector<ScreenInput> out) {
        out.collect(ScreenInput.admitted(request));
        if (request.getRequest() instanceof MoneyMovement m) {
            AccountActivity inflow = AccountActivity.inflowOf(m);
            if (inflow != null) {
                out.collect(ScreenInput.inflow(m.getDestinationAccountId(), inflow));
            }
        }
    }
}
