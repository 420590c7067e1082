package io.ledgerflow.jobs.ledger;

import io.ledgerflow.schemas.config.Settings;
import java.io.Serializable;
import java.time.Duration;

/**
 * How long the ledger remembers and waits: its rules' time limits and its system accounts.
 *
 * @param dedupRetention how long a transaction id is remembered against replays ({@code
 *     --dedup-retention}, default 7d)
 * @param holdExpiry how long an uncaptured hold reserves funds ({@code --hold-expiry}, 7d)
 * @param endedHoldRetention how long an ended hold is kept to answer late captures and voids
 *     ({@code --ended-hold-retention}, 30d)
 * @param refundWindow how long a completed credit can be refunded ({@code --refund-window}, 90d)
 * @param systemAccountShards system accounts per currency, which spread deposit and withdrawal load
 *     ({@code --system-account-shards}, 8). Changing it moves the outside legs of new transactions
 *     to other accounts; existing balances stay where they are
 * @param parkWindow how long a request waits at its account for what it depends on (the account's
 *     OPEN, the hold it captures, the credit it refunds) before it is refused as unknown ({@code
 *     --park-window}, 10s; DISCUSSION.md, "Parking")
 */
public record LedgerSettings(
        Duration dedupRetention,
        Duration holdExpiry,
        Duration endedHoldRetention,
        Duration refundWindow,
        int systemAccountShards,
        Duration parkWindow)
        implements Serializable {

    public static LedgerSettings defaults() {
        return new LedgerSettings(
                Duration.ofDays(7),
                Duration.ofDays(7),
                Duration.ofDays(30),
                Duration.ofDays(90),
                8,
                LedgerFunction.DEFAULT_PARK_WINDOW);
    }

    /** Reads the settings named above; each must be positive. */
    public static LedgerSettings read(Settings s, LedgerSettings d) {
        return new LedgerSettings(
                s.duration("dedup-retention", d.dedupRetention()),
                s.duration("hold-expiry", d.holdExpiry()),
                s.duration("ended-hold-retention", d.endedHoldRetention()),
                s.duration("refund-window", d.refundWindow()),
                s.positiveInt("system-account-shards", d.systemAccountShards()),
                s.duration("park-window", d.parkWindow()));
    }

    /** Same settings, holds expiring after {@code expiry}. */
    public LedgerSettings withHoldExpiry(Duration expiry) {
        return new LedgerSettings(
                dedupRetention,
                expiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                parkWindow);
    }
}
