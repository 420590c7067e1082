package io.ledgerflow.readmodel.settlement;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A partner's settlement periods: {@code periodHours} long, aligned on {@code cutoff} in {@code
 * zone} (a day's periods start at the cut-off and every {@code periodHours} after it). The default
 * is daily at 00:00 UTC. Periods are computed in the zone's local time, so a daily period across a
 * daylight-saving change is 23 or 25 hours long, as a partner's "day" is.
 */
public record SettlementCalendar(LocalTime cutoff, ZoneId zone, int periodHours) {

    public static final SettlementCalendar DAILY_UTC =
            new SettlementCalendar(LocalTime.MIDNIGHT, ZoneOffset.UTC, 24);

    public SettlementCalendar {
        if (periodHours <= 0 || 24 % periodHours != 0) {
            throw new IllegalArgumentException(
                    "periodHours must divide 24 (1, 2, 3, 4, 6, 8, 12, 24); got " + periodHours);
        }
    }

    /** The period that contains {@code t}. */
    public SettlementPeriod periodOf(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        ZonedDateTime start = local.toLocalDate().atTime(cutoff).atZone(zone);
        if (start.isAfter(local)) {
            start = start.minusDays(1);
        }
        ZonedDateTime end = after(start);
        while (!end.isAfter(local)) {
            start = end;
            end = after(start);
        }
        return new SettlementPeriod(start.toInstant(), end.toInstant());
    }

    /** A daily period is a local day (23 to 25 hours); shorter ones are real hours. */
    private ZonedDateTime after(ZonedDateTime start) {
        return periodHours == 24 ? start.plusDays(1) : start.plusHours(periodHours);
    }

    /** The period right after {@code p}. */
    public SettlementPeriod next(SettlementPeriod p) {
        return periodOf(p.end());
    }

    /**
     * The next period to settle, given the earliest unsettled posting's event time and the end of
     * the partner's latest batch (null when it has none): the period of the later of the two, so
     * empty periods are skipped; if the settings changed since the latest batch and that period
     * would start before the latest batch's end, it starts there instead (a shorter transition
     * period), so two batches never share an instant.
     */
    public SettlementPeriod nextToSettle(Instant earliestUnsettled, Instant latestBatchEnd) {
        Instant from =
                latestBatchEnd != null && latestBatchEnd.isAfter(earliestUnsettled)
                        ? latestBatchEnd
                        : earliestUnsettled;
        SettlementPeriod p = periodOf(from);
        if (latestBatchEnd != null && p.start().isBefore(latestBatchEnd)) {
            return new SettlementPeriod(latestBatchEnd, p.end());
        }
        return p;
    }

    /**
     * The last period that is closed at {@code now}: one whose end plus {@code allowedLateness} is
     * at or before {@code now} (the same lateness the windowed aggregates allow).
     */
    public SettlementPeriod lastClosed(Instant now, Duration allowedLateness) {
        SettlementPeriod p = periodOf(now.minus(allowedLateness));
        return periodOf(p.start().minusMillis(1));
    }
}
