package io.ledgerflow.jobs.ledger;

import java.util.Currency;

/** ISO 4217 currencies the ledger accepts: those with a defined number of minor units. */
final class Currencies {

    private Currencies() {}

    static boolean isSupported(String code) {
        if (code == null || code.length() != 3) {
            return false;
        }
        try {
            // Codes like XAU (gold) have no minor unit (-1); amounts in them cannot be minor units.
            return Currency.getInstance(code).getDefaultFractionDigits() >= 0;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
