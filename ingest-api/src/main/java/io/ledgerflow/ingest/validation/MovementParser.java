package io.ledgerflow.ingest.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON of one money movement into a {@link MovementSubmission}, or throws an {@link
 * InvalidRequestException} naming the first offending field. Nothing that leaves here invalid can
 * reach Kafka: every field of the Avro record is derived from a checked value.
 *
 * <p>Which accounts a movement needs (R required, O optional, - forbidden):
 *
 * <pre>
 *              source  destination  related  amount
 * TRANSFER       R         R           -       &gt; 0
 * DEPOSIT        -         R           -       &gt; 0
 * WITHDRAWAL     R         -           -       &gt; 0
 * HOLD           R         O           -       &gt; 0   (destination: the intended payee)
 * CAPTURE        R         O           R       &gt; 0   (source: the held account; related: the HOLD)
 * VOID           R         -           R       0 or absent
 * REFUND         R         R           R       &gt; 0   (source pays back destination; related: the
 *                                                     TRANSFER or CAPTURE refunded)
 * </pre>
 *
 * <p>A HOLD may carry {@code holdExpiresInSeconds}: how long it reserves the funds, a whole number
 * of seconds from 1 to the configured maximum ({@code LEDGERFLOW_MAX_HOLD_EXPIRY}), counted from
 * the ledger's decision. Without it the ledger's default applies ({@code --hold-expiry}). Relative,
 * as OAuth's {@code expires_in} and TigerBeetle's {@code timeout}: the partner's clock and the
 * queue before the ledger cannot shorten it, and it needs no time zone.
 *
 * <p>Partner annotations, copied by the ledger to every result and ledger entry of the movement and
 * stored with each in PostgreSQL and ClickHouse, hence bounded here:
 *
 * <ul>
 *   <li>{@code metadata}: an object of at most 20 string members; keys 1 to 40 characters of {@code
 *       [A-Za-z0-9_.-]} (they become JSON keys, ClickHouse map keys and query filters, so no
 *       quoting or escaping is ever needed), values up to 500 characters without control
 *       characters.
 *   <li>{@code externalReference}: the partner's own reference (an invoice or order number), 1 to
 *       {@value #MAX_EXTERNAL_REFERENCE_LENGTH} printable characters. Not an idempotency key and
 *       not unique: {@code transactionId} is that.
 * </ul>
 */
public final class MovementParser {

    /** The HOLD's own expiry, in whole seconds. */
    static final String HOLD_EXPIRY = "holdExpiresInSeconds";

    static final String EXTERNAL_REFERENCE = "externalReference";

    /** Longest external reference, in UTF-16 characters. */
    public static final int MAX_EXTERNAL_REFERENCE_LENGTH = 128;

    static final Set<String> FIELDS =
            Collections.unmodifiableSet(
                    new LinkedHashSet<>(
                            List.of(
                                    "transactionId",
                                    "type",
                                    "sourceAccountId",
                                    "destinationAccountId",
                                    "relatedTransactionId",
                                    "amount",
                                    "currency",
                                    "eventTime",
                                    "metadata",
                                    EXTERNAL_REFERENCE,
                                    HOLD_EXPIRY)));

    private enum Need {
        REQUIRED,
        OPTIONAL,
        FORBIDDEN
    }

    private record Rule(Need source, Need destination, Need related, boolean zeroAmount) {}

    private static final Map<MovementType, Rule> RULES =
            Map.of(
                    MovementType.TRANSFER,
                    new Rule(Need.REQUIRED, Need.REQUIRED, Need.FORBIDDEN, false),
                    MovementType.DEPOSIT,
                    new Rule(Need.FORBIDDEN, Need.REQUIRED, Need.FORBIDDEN, false),
                    MovementType.WITHDRAWAL,
                    new Rule(Need.REQUIRED, Need.FORBIDDEN, Need.FORBIDDEN, false),
                    MovementType.HOLD,
                    new Rule(Need.REQUIRED, Need.OPTIONAL, Need.FORBIDDEN, false),
                    MovementType.CAPTURE,
                    new Rule(Need.REQUIRED, Need.OPTIONAL, Need.REQUIRED, false),
                    MovementType.VOID,
                    new Rule(Need.REQUIRED, Need.FORBIDDEN, Need.REQUIRED, true),
                    MovementType.REFUND,
                    new Rule(Need.REQUIRED, Need.REQUIRED, Need.REQUIRED, false));

    private final ValidationLimits limits;
    private final Clock clock;
    private final MoneyAmounts money;

    public MovementParser(ValidationLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.money = new MoneyAmounts(limits.maxAmountMinor());
    }

    public MovementSubmission parse(JsonNode node) {
        JsonNode body = Fields.requireObject(node, "a movement");
        Fields.rejectUnknown(body, FIELDS);

        String transactionId =
                Fields.requireId(Fields.requiredString(body, "transactionId"), "transactionId");
        MovementType type = movementType(Fields.requiredString(body, "type"));
        Rule rule = RULES.get(type);

        String currency = Fields.requiredString(body, "currency");
        MoneyAmounts.requireKnownCurrency(currency, "currency");
        long amountMinor = amount(body, rule, currency);

        String source = account(body, "sourceAccountId", rule.source(), type);
        String destination = account(body, "destinationAccountId", rule.destination(), type);
        if (source != null && source.equals(destination)) {
            throw new InvalidRequestException(
                    ErrorCode.SAME_ACCOUNT,
                    "destinationAccountId",
                    "source and destination must be different accounts");
        }
        String related = account(body, "relatedTransactionId", rule.related(), type);

        Instant eventTime = eventTime(Fields.optionalString(body, "eventTime"));
        Map<String, String> metadata = metadata(body.get("metadata"));
        String externalReference =
                externalReference(Fields.optionalString(body, EXTERNAL_REFERENCE));
        Long holdExpiresInMillis = holdExpiry(body.get(HOLD_EXPIRY), type);
        return new MovementSubmission(
                transactionId,
                type,
                source,
                destination,
                related,
                amountMinor,
                currency,
                eventTime,
                metadata,
                holdExpiresInMillis,
                externalReference);
    }

    private static String externalReference(String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_EXTERNAL_REFERENCE_LENGTH) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_EXTERNAL_REFERENCE,
                    EXTERNAL_REFERENCE,
                    EXTERNAL_REFERENCE
                            + " must be 1 to "
                            + MAX_EXTERNAL_REFERENCE_LENGTH
                            + " characters");
        }
        if (!printable(value)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_EXTERNAL_REFERENCE,
                    EXTERNAL_REFERENCE,
                    EXTERNAL_REFERENCE + " must not contain control characters");
        }
        return value;
    }

    /**
     * No control character (C0, DEL, C1), line or paragraph separator, and no unpaired surrogate.
     * The surrogates matter because JSON escapes can produce them and they cannot be encoded as
     * UTF-8: PostgreSQL and ClickHouse would store a replacement character instead.
     */
    static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean metadataKey(String key, int maxLength) {
        if (key.isEmpty() || key.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed =
                    (c >= 'A' && c <= 'Z')
                            || (c >= 'a' && c <= 'z')
                            || (c >= '0' && c <= '9')
                            || c == '_'
                            || c == '.'
                            || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** A HOLD's own expiry in milliseconds, or null when it has none (the ledger's default). */
    private Long holdExpiry(JsonNode node, MovementType type) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (type != MovementType.HOLD) {
            throw new InvalidRequestException(
                    ErrorCode.FIELD_NOT_ALLOWED,
                    HOLD_EXPIRY,
                    HOLD_EXPIRY + " is allowed for HOLD only");
        }
        if (!node.isIntegralNumber()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE,
                    HOLD_EXPIRY,
                    HOLD_EXPIRY + " must be a JSON whole number of seconds, e.g. 900");
        }
        long maxSeconds = limits.maxHoldExpiry().toSeconds();
        long seconds = node.canConvertToLong() ? node.longValue() : Long.MAX_VALUE;
        if (seconds <= 0 || seconds > maxSeconds) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_HOLD_EXPIRY,
                    HOLD_EXPIRY,
                    HOLD_EXPIRY + " must be from 1 to " + maxSeconds + " seconds");
        }
        return seconds * 1000;
    }

    private static MovementType movementType(String value) {
        for (MovementType type : MovementType.values()) {
            if (type.name().equals(value)) {
                return type;
            }
        }
        throw new InvalidRequestException(
                ErrorCode.INVALID_MOVEMENT_TYPE,
                "type",
                "type must be one of TRANSFER, DEPOSIT, WITHDRAWAL, HOLD, CAPTURE, VOID, REFUND");
    }

    private long amount(JsonNode body, Rule rule, String currency) {
        String amount = Fields.optionalString(body, "amount");
        if (rule.zeroAmount()) {
            if (amount == null) {
                return 0;
            }
            long minor = money.toMinorUnits(amount, currency, "amount");
            if (minor != 0) {
                throw new InvalidRequestException(
                        ErrorCode.AMOUNT_NOT_ALLOWED,
                        "amount",
                        "a VOID releases the whole hold: amount must be 0 or absent");
            }
            return 0;
        }
        if (amount == null) {
            throw new InvalidRequestException(
                    ErrorCode.MISSING_FIELD, "amount", "amount is required, e.g. \"12.34\"");
        }
        long minor = money.toMinorUnits(amount, currency, "amount");
        if (minor <= 0) {
            throw new InvalidRequestException(
                    ErrorCode.AMOUNT_NOT_POSITIVE, "amount", "amount must be greater than zero");
        }
        return minor;
    }

    private static String account(JsonNode body, String field, Need need, MovementType type) {
        String value = Fields.optionalString(body, field);
        if (value == null) {
            if (need == Need.REQUIRED) {
                throw new InvalidRequestException(
                        ErrorCode.MISSING_FIELD, field, field + " is required for " + type);
            }
            return null;
        }
        if (need == Need.FORBIDDEN) {
            throw new InvalidRequestException(
                    ErrorCode.FIELD_NOT_ALLOWED, field, field + " is not allowed for " + type);
        }
        return Fields.requireId(value, field);
    }

    private Instant eventTime(String value) {
        if (value == null) {
            return null;
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_TIMESTAMP,
                    "eventTime",
                    "eventTime must be an ISO-8601 instant with offset, e.g."
                            + " 2026-11-21T10:15:30.123Z");
        }
        Instant now = clock.instant();
        if (time.isAfter(now.plus(limits.maxFutureSkew()))) {
            throw new InvalidRequestException(
                    ErrorCode.TIMESTAMP_IN_FUTURE,
                    "eventTime",
                    "eventTime is more than "
                            + limits.maxFutureSkew().toMinutes()
                            + " minutes in the future");
        }
        if (time.isBefore(now.minus(limits.maxPastAge()))) {
            throw new InvalidRequestException(
                    ErrorCode.TIMESTAMP_TOO_OLD,
                    "eventTime",
                    "eventTime is more than " + limits.maxPastAge().toDays() + " days in the past");
        }
        return time;
    }

    private Map<String, String> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE,
                    "metadata",
                    "metadata must be an object of string values");
        }
        if (node.size() > limits.maxMetadataEntries()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_METADATA,
                    "metadata",
                    "metadata has more than " + limits.maxMetadataEntries() + " entries");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String key = entry.getKey();
            String field = "metadata." + Fields.printable(key);
            if (!metadataKey(key, limits.maxMetadataKeyLength())) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_METADATA,
                        field,
                        "metadata keys must be 1 to "
                                + limits.maxMetadataKeyLength()
                                + " characters of A-Z, a-z, 0-9, '_', '.' and '-'");
            }
            if (!entry.getValue().isTextual()) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_METADATA, field, "metadata values must be strings");
            }
            String value = entry.getValue().textValue();
            if (value.length() > limits.maxMetadataValueLength()) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_METADATA,
                        field,
                        "metadata values must be at most "
                                + limits.maxMetadataValueLength()
                                + " characters");
            }
            if (!printable(value)) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_METADATA,
                        field,
                        "metadata values must not contain control characters");
            }
            metadata.put(key, value);
        }
        return Collections.unmodifiableMap(metadata);
    }
}
