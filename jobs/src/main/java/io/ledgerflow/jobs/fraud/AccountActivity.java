package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import java.util.Objects;

/**
 * One recent movement of an account as the fraud screen remembers it: enough for the windowed
 * rules, nothing more (a POJO, so Flink serializes it without Kryo).
 */
public class AccountActivity {

    /** Event time of the movement, epoch milliseconds. */
    public long time;

    public String transactionId;

    /** Positive, in minor units of the account's currency. */
    public long amountMinor;

    /** The other account, or null (deposits and withdrawals face the outside world). */
    public String counterparty;

    /** True for money in (deposit, transfer credit), false for money out. */
    public boolean inflow;

    public AccountActivity() {}

    AccountActivity(
            long time,
            String transactionId,
            long amountMinor,
            String counterparty,
            boolean inflow) {
        this.time = time;
        this.transactionId = transactionId;
        this.amountMinor = amountMinor;
        this.counterparty = counterparty;
        this.inflow = inflow;
    }

    /**
     * The money a transfer brings to its destination, or null for anything else: what the
     * destination's screen observes (rapid in-and-out) when the transfer is requested, without
     * waiting for the credit's round trip through Kafka.
     */
    public static AccountActivity inflowOf(MoneyMovement m) {
        if (m.getType() != MovementType.TRANSFER || m.getDestinationAccountId() == null) {
            return null;
        }
        return new AccountActivity(
                m.getEventTime().toEpochMilli(),
                m.getTransactionId(),
                m.getAmountMinor(),
                m.getSourceAccountId(),
                true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountActivity a
                && time == a.time
                && amountMinor == a.amountMinor
                && inflow == a.inflow
                && Objects.equals(transactionId, a.transactionId)
                && Objects.equals(counterparty, a.counterparty);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, transactionId, amountMinor, counterparty, inflow);
    }
}
