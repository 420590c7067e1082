package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.jobs.fraud.AccountActivity;
import io.ledgerflow.jobs.fraud.ScreenInput;
import io.ledgerflow.jobs.fraud.ScreenInputs;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
            new OutputTag<>("id-claims", TypeInformation.of(IdClaim.class));

    /** Starts the stand-in key of a request that names no account to key it by. */
    static final String MALFORMED_KEY_PREFIX = "\u0000no-account\u0000";

    private transient RequestIdentity identity;

    @Override
    public void open(OpenContext openContext) {
        identity = new RequestIdentity();
    }

    @Override
    public void processElement(LedgerRequest request, Context ctx, Collector<ScreenInput> out) {
        String gateKey = RequestIdentity.keyOf(request);
        String account = LedgerRouting.accountOf(request);
        if (account == null) {
            // A movement without the account it acts on first (a transfer without its source, a
            // deposit without its destination): admission refuses its shape. Until then it needs a
            // key of its own that no account can have, so that it stops nothing on its way.
            account = MALFORMED_KEY_PREFIX + gateKey;
        }
        long fingerprint = identity.fingerprintOf(request);
        String inflowAccount = null;
        AccountActivity inflow = null;
        // Only a transfer that will reach the ledger announces its money at the destination.
        if (request.getRequest() instanceof MoneyMovement m && MovementShape.check(m) == null) {
            inflow = ScreenInputs.inflowOf(m);
            inflowAccount = inflow == null ? null : m.getDestinationAccountId();
        }
        ctx.output(CLAIMS, new IdClaim(gateKey, fingerprint, account, inflowAccount, inflow));
        out.collect(ScreenInput.of(new ClaimedRequest(account, gateKey, fingerprint, request)));
    }
}
