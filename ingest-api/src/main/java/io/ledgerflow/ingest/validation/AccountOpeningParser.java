package io.ledgerflow.ingest.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code POST /api/v1/accounts}: {@code accountId}, {@code currency}, optional {@code type}
 * (CUSTOMER, BUSINESS or SETTLEMENT; default CUSTOMER; SYSTEM accounts belong to the ledger and
 * cannot be opened by partners) and optional {@code overdraftLimit} (decimal string, default 0).
 */
public final class AccountOpeningParser {

    static final Set<String> FIELDS =
            Collections.unmodifiableSet(
                    new LinkedHashSet<>(
                            List.of("accountId", "currency", "type", "overdraftLimit")));

    private final MoneyAmounts money;

    public AccountOpeningParser(ValidationLimits limits) {
        this.money = new MoneyAmounts(limits.maxAmountMinor());
    }

    public AccountOpening parse(JsonNode node) {
        JsonNode body = Fields.requireObject(node, "an account");
        Fields.rejectUnknown(body, FIELDS);
        String accountId = Fields.requireId(Fields.requiredString(body, "accountId"), "accountId");
        String currency = Fields.requiredString(body, "currency");
        MoneyAmounts.requireKnownCurrency(currency, "currency");
        String typeName = Fields.optionalString(body, "type");
        AccountType type = typeName == null ? AccountType.CUSTOMER : accountType(typeName);
        String overdraft = Fields.optionalString(body, "overdraftLimit");
        long overdraftMinor =
                overdraft == null ? 0 : money.toMinorUnits(overdraft, currency, "overdraftLimit");
        return new AccountOpening(accountId, currency, type, overdraftMinor);
    }

    private static AccountType accountType(String name) {
        for (AccountType type : AccountType.values()) {
            if (type.name().equals(name) && type != AccountType.SYSTEM) {
                return type;
            }
        }
        throw new InvalidRequestException(
                ErrorCode.INVALID_ACCOUNT_TYPE,
                "type",
                "type must be one of CUSTOMER, BUSINESS, SETTLEMENT");
    }

    /** Path ids are checked like body ids; an invalid one cannot name an existing account. */
    public static boolean isValidId(String id) {
        return Fields.isId(id);
    }
}
