package io.ledgerflow.readmodel.history;

import java.math.BigInteger;
import java.time.Instant;

/**
 * An account's balance as of a time, from its entries and holds: {@code balanceMinor} is the
 * balance after the last entry posted at or before {@code at} (0 before the first), {@code
 * heldMinor} what HOLDs on the account reserved at that time, {@code availableMinor} the
 * difference.
 *
 * @param lastSequence the sequence of that last entry; 0 when there was none
 */
public record BalanceAt(
        Instant at,
        BigInteger balanceMinor,
        long heldMinor,
        BigInteger availableMinor,
        long lastSequence) {}
