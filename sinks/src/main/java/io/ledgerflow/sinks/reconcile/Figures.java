package io.ledgerflow.sinks.reconcile;

import java.math.BigInteger;

/**
 * The figures compared per partner, currency and window: how many entries and the sum of their
 * amounts (minor units, unsigned as posted; exact, a sum of longs can exceed 64 bits).
 */
public record Figures(long count, BigInteger amount) {

    public static final Figures NONE = new Figures(0, BigInteger.ZERO);

    public Figures plus(long amountMinor) {
        return new Figures(count + 1, amount.add(BigInteger.valueOf(amountMinor)));
    }

    @Override
    public String toString() {
        return count + " entries, amount " + amount;
    }
}
