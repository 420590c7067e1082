package io.ledgerflow.testdata.population;

import io.ledgerflow.avro.AccountType;

/**
 * An account of the population.
 *
 * @param group index of the account's (partner, currency) group: transfers stay inside one group,
 *     because the ledger moves money only between accounts of one partner and one currency
 * @param openingDepositMinor the deposit that funds it after opening
 */
public record Account(
        String id,
        String partnerId,
        String currency,
        AccountType type,
        int group,
        long openingDepositMinor) {}
