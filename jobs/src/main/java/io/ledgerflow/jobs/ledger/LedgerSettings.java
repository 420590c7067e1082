package io.ledgerflow.jobs.ledger;

import io.ledgerflow.schemas.config.Settings;
import java.io.Serializable;
import java.time.Duration;

/**
 * How long the ledger remembers and waits: its rules' time limits and its system accounts.
 *
 * @param dedupRetention how long a transaction id is remembered against replays ({@code
 *     --dedup-retention}, default 7d)
 * @param holdExpiry how long an uncaptured hold reserves funds when the HOLD does not say ({@code
 *     --hold-expiry}, 7d)
 * @param endedHoldRetention how long an ended hold is kept to answer late captures and voids
 *     ({@code --ended-hold-retention}, 30d)
 * @param refundWindow how long a completed credit can be refunded ({@code --refund-window}, 90d)
 * @param systemAccountShards system accounts per currency, which spread deposit and withdrawal load
 *     ({@code --system-account-shards}, 8). Changing it moves the outside legs of new transactions
 *     to other accounts; existing balances stay where they are
 * @param parkWindow how long a request waits at its account for what it depends on (the account's
 *     OPEN, the hold it captures, the credit it refunds) before it is refused as unknown ({@code
 *     --park-window}, 10s; DISCUSSION.md, "Parking")
 * @param maxHoldExpiry the longest expiry a HOLD may ask for ({@code holdExpiresInMillis}); a
 *     longer one is refused ({@code --max-hold-expiry}, 30d; at least {@code holdExpiry})
 * @param maxOverdraftLimit the largest overdraft limit an account may be opened with or set to, in
 *     minor units of any currency ({@code --max-overdraft-limit}; default unbounded, the API's
 *     per-currency maximum being the first bound)
 */
public record LedgerSettings(
        Duration dedupRetention,
        Duration holdExpiry,
        Duration endedHoldRetention,
        Duration refundWindow,
        int systemAccountShards,
        Duration parkWindow,
        Duration maxHoldExpiry,
        long maxOverdraftLimit)
        implements Serializable {

    /** The default {@code --max-hold-expiry}: card authorisations live up to about a month. */
    public static final Duration DEFAULT_MAX_HOLD_EXPIRY = Duration.ofDays(30);

    /** The settings before per-hold expiry and overdraft changes, with their defaults for those. */
    public LedgerSettings(
            Duration dedupRetention,
            Duration holdExpiry,
            Duration endedHoldRetention,
            Duration refundWindow,
            int systemAccountShards,
            Duration parkWindow) {
        this(
                dedupRetention,
                holdExpiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                parkWindow,
                max(holdExpiry, DEFAULT_MAX_HOLD_EXPIRY),
                Long.MAX_VALUE);
    }

    public static LedgerSettings defaults() {
        return new LedgerSettings(
                Duration.ofDays(7),
                Duration.ofDays(7),
                Duration.ofDays(30),
                Duration.ofDays(90),
                8,
                LedgerFunction.DEFAULT_PARK_WINDOW);
    }

    /** Reads the settings named above; each duration must be positive. */
    public static LedgerSettings read(Settings s, LedgerSettings d) {
        Duration holdExpiry = s.duration("hold-expiry", d.holdExpiry());
        Duration maxHoldExpiry = s.duration("max-hold-expiry", max(holdExpiry, d.maxHoldExpiry()));
        if (maxHoldExpiry.compareTo(holdExpiry) < 0) {
            s.problem(
                    "--max-hold-expiry ("
                            + maxHoldExpiry
                            + ") must be at least --hold-expiry ("
                            + holdExpiry
                            + "): the default expiry must be one a HOLD may ask for");
        }
        return new LedgerSettings(
                s.duration("dedup-retention", d.dedupRetention()),
                holdExpiry,
                s.duration("ended-hold-retention", d.endedHoldRetention()),
                s.duration("refund-window", d.refundWindow()),
                s.positiveInt("system-account-shards", d.systemAccountShards()),
                s.duration("park-window", d.parkWindow()),
                maxHoldExpiry,
                s.integer("max-overdraft-limit", d.maxOverdraftLimit(), 0, Long.MAX_VALUE));
    }

    /** Same settings, holds expiring after {@code expiry} unless they say otherwise. */
    public LedgerSettings withHoldExpiry(Duration expiry) {
        return new LedgerSettings(
                dedupRetention,
                expiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                parkWindow,
                max(expiry, maxHoldExpiry),
                maxOverdraftLimit);
    }

    /**
     * Same settings, HOLDs asking for at most {@code max}, overdraft limits at most {@code limit}.
     */
    public LedgerSettings withControls(Duration max, long limit) {
        return new LedgerSettings(
                dedupRetention,
                holdExpiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                parkWindow,
                max,
                limit);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
