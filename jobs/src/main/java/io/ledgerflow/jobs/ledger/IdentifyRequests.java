package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.jobs.fraud.AccountActivity;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits each request, where it is read, into the request itself (on to its account's {@link
 * Admission}, in the fraud screen's operator) and a small {@link IdClaim} for the {@link
 * IdempotencyGate}. Only the claim crosses to the gate, so the full request is shuffled once, by
 * account.
 */
public class IdentifyRequests extends ProcessFunction<LedgerRequest, ScreenInput> {

    private static final long serialVersionUID = 1L;

    /** The claims, for the gate. */
    public static final OutputTag<IdClaim> CLAIMS =
            new OutputTag<>("id-claims", AdmissionSerializers.ID_CLAIM);

    private transient RequestIdentity identity;

    @Override
    public void open(OpenContext openContext) {
        identity = new RequestIdentity();
    }

    @Override
    public void processElement(LedgerRequest request, Context ctx, Collector<ScreenInput> out) {
        ClaimedRequest claimed = ClaimedRequest.of(request, identity.fingerprintOf(request));
        String inflowAccount = null;
        AccountActivity inflow = null;
        // Only a transfer that will reach the ledger announces its money at the destination.
        if (claimed.wellFormed && request.getRequest() instanceof MoneyMovement m) {
            inflow = AccountActivity.inflowOf(m);
            inflowAccount = inflow == null ? null : m.getDestinationAccountId();
        }
        ctx.output(
                CLAIMS,
                new IdClaim(
                        claimed.gateKey,
                        claimed.fingerprint,
                        claimed.account,
                        inflowAccount,
                        inflow));
        out.collect(ScreenInput.of(claimed));
    }
}
