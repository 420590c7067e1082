package io.ledgerflow.jobs.fraud;

/**
 * What the fraud screen knows about an account over its whole life (a POJO for Flink): the running
 * average of its outgoing amounts and when its holder last acted.
 */
public class AccountProfile {

    /**
     * The running average follows at most this many recent amounts: an incremental mean whose
     * weight is capped, so old habits fade instead of anchoring the average for ever.
     */
    static final int AVERAGE_MEMORY = 50;

    /** Outgoing movements that proceeded (blocked attempts are not the holder's habits). */
    public long outflowCount;

    /** Running average of outgoing amounts, minor units. */
    public double averageOutflowMinor;

    /**
     * Event time of the holder's last own action (account opened, money sent), epoch ms; 0 when
     * none. Money received does not count: being paid is not the holder waking up.
     */
    public long lastActiveTime;

    public AccountProfile() {}

    void recordOutflow(long amountMinor, long time) {
        outflowCount++;
        averageOutflowMinor +=
                (amountMinor - averageOutflowMinor) / Math.min(outflowCount, AVERAGE_MEMORY);
        recordActive(time);
    }

    void recordActive(long time) {
        lastActiveTime = Math.max(lastActiveTime, time);
    }
}
