package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.schemas.money.MinorUnits;
import java.time.Duration;

/** How the rules write amounts and periods in an alert's explanation, for an analyst. */
final class Explanations {

    private Explanations() {}

    /** In the movement's currency ("12.34" for 1234 USD), or in minor units if it is unknown. */
    static String money(long minor, MoneyMovement m) {
        try {
            return MinorUnits.format(minor, m.getCurrency());
        } catch (RuntimeException e) {
            return minor + " minor units";
        }
    }

    /** In the largest whole unit that keeps at least two of it: "10 minutes", "3 days". */
    static String human(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " hours";
        }
        if (d.toMinutes() >= 2) {
            return d.toMinutes() + " minutes";
        }
        return d.toSeconds() + " seconds";
    }
}
