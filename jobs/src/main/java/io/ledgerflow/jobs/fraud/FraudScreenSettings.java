package io.ledgerflow.jobs.fraud;

import io.ledgerflow.schemas.config.Settings;
import java.io.Serializable;
import java.time.Duration;

/**
 * How much the fraud screen remembers per account: settings of the ledger job ({@code --fraud-*})
 * and of {@link FraudRulesCommand}, which checks rules against the same limits before publishing.
 *
 * @param activityRetention how far back (event time) recent movements are kept; the longest window
 *     a rule may use. Also how long an account must be quiet (processing time) before its recent
 *     movements are cleared ({@code --fraud-activity-retention}, default 1d)
 * @param maxActivities most recent movements kept per account, whatever their age (bounds state of
 *     very busy accounts; a VELOCITY maxCount must stay below it to ever match) ({@code
 *     --fraud-max-activities}, 500)
 * @param profileRetention how long an idle account's profile and known counterparties are kept
 *     (state TTL); a dormancy period must be shorter ({@code --fraud-profile-retention}, 400d)
 */
public record FraudScreenSettings(
        Duration activityRetention, int maxActivities, Duration profileRetention)
        implements Serializable {

    public static FraudScreenSettings defaults() {
        return new FraudScreenSettings(Duration.ofDays(1), 500, Duration.ofDays(400));
    }

    /** Reads the three {@code --fraud-*} settings named above; each must be positive. */
    public static FraudScreenSettings read(Settings s, FraudScreenSettings d) {
        return new FraudScreenSettings(
                s.duration("fraud-activity-retention", d.activityRetention()),
                s.positiveInt("fraud-max-activities", d.maxActivities()),
                s.duration("fraud-profile-retention", d.profileRetention()));
    }
}
