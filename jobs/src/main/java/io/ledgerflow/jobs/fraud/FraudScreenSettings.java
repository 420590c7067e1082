package io.ledgerflow.jobs.fraud;

import java.io.Serializable;
import java.time.Duration;

/**
 * How much the fraud screen remembers per account.
 *
 * @param activityRetention how far back (event time) recent movements are kept; the longest window
 *     a rule may use. Also how long an account must be quiet (processing time) before its recent
 *     movements are cleared.
 * @param maxActivities most recent movements kept per account, whatever their age (bounds state of
 *     very busy accounts; a VELOCITY maxCount must stay below it to ever match)
 * @param profileRetention how long an idle account's profile and known counterparties are kept
 *     (state TTL); a dormancy period must be shorter
 */
public record FraudScreenSettings(
        Duration activityRetention, int maxActivities, Duration profileRetention)
        implements Serializable {

    public static FraudScreenSettings defaults() {
        return new FraudScreenSettings(Duration.ofDays(1), 500, Duration.ofDays(400));
    }
}
