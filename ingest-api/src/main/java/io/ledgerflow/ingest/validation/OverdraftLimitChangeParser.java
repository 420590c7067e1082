package io.ledgerflow.ingest.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code PUT /api/v1/accounts/{accountId}/overdraft-limit}: {@code overdraftLimit} (decimal
 * string, zero or more, at most {@code LEDGERFLOW_MAX_AMOUNT_MINOR} like every amount) and {@code
 * currency} (the account's: the partner states it so that "250.00" has one meaning, and the ledger
 * checks it). Whether the account can take the new limit (it may already use more overdraft) is the
 * ledger's decision, not the API's.
 */
public final class OverdraftLimitChangeParser {

    static final Set<String> FIELDS =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("overdraftLimit", "currency")));

    private final MoneyAmounts money;

    public OverdraftLimitChangeParser(ValidationLimits limits) {
        this.money = new MoneyAmounts(limits.maxAmountMinor());
    }

    public OverdraftLimitChange parse(JsonNode node) {
        JsonNode body = Fields.requireObject(node, "an overdraft limit");
        Fields.rejectUnknown(body, FIELDS);
        String limit = Fields.requiredString(body, "overdraftLimit");
        String currency = Fields.requiredString(body, "currency");
        MoneyAmounts.requireKnownCurrency(currency, "currency");
        return new OverdraftLimitChange(
                currency, money.toMinorUnits(limit, currency, "overdraftLimit"));
    }
}
