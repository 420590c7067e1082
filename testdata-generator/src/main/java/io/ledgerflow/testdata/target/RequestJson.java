package io.ledgerflow.testdata.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.money.MinorUnits;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.Movement;
import java.math.BigDecimal;

/**
 * The ingest API's JSON bodies (ingest-api/README.md, "A movement") for generated requests, with
 * deliberate breakage applied for invalid movements. Shared by the HTTP target and the JSON-lines
 * files, so a file replays exactly what the API would have received.
 */
public final class RequestJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestJson() {}

    /** {@code POST /api/v1/accounts} body. */
    public static ObjectNode opening(AccountOpening o) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("accountId", o.accountId());
        body.put("currency", o.currency());
        body.put("type", o.accountType().name());
        return body;
    }

    /** {@code POST /api/v1/transactions} body. */
    public static ObjectNode movement(Movement m) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("transactionId", m.transactionId());
        body.put("type", m.type().name());
        if (m.sourceAccountId() != null) {
            body.put("sourceAccountId", m.sourceAccountId());
        }
        if (m.destinationAccountId() != null) {
            body.put("destinationAccountId", m.destinationAccountId());
        }
        if (m.relatedTransactionId() != null) {
            body.put("relatedTransactionId", m.relatedTransactionId());
        }
        if (m.type() != MovementType.VOID) {
            body.put("amount", amount(m));
        }
        body.put(
                "currency",
                m.invalidity() == io.ledgerflow.testdata.population.Invalidity.UNKNOWN_CURRENCY
                        ? "XXX"
                        : m.currency());
        if (m.eventTime() != null) {
            body.put("eventTime", m.eventTime().toString());
        }
        return body;
    }

    private static String amount(Movement m) {
        String plain = MinorUnits.format(m.amountMinor(), m.currency());
        if (m.invalidity() == null) {
            return plain;
        }
        return switch (m.invalidity()) {
            case NEGATIVE_AMOUNT -> "-" + plain;
            // One decimal more than the currency has, never zero in the last place.
            case EXCESS_PRECISION ->
                    new BigDecimal(plain)
                            .add(
                                    BigDecimal.ONE.movePointLeft(
                                            MinorUnits.exponent(m.currency()) + 1))
                            .toPlainString();
            default -> plain;
        };
    }
}
