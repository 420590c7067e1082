package io.ledgerflow.sinks.reconcile;

import java.time.Instant;

/** A partner's entries in one currency posted in one window {@code [start, start + size)}. */
public record WindowKey(String partnerId, String currency, Instant start) {}
