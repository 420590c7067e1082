package io.ledgerflow.readmodel.settlement;

import java.time.Instant;

/** A settlement period, {@code [start, end)}. */
public record SettlementPeriod(Instant start, Instant end) {

    public SettlementPeriod {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException(
                    "a period ends after it starts: " + start + " " + end);
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
