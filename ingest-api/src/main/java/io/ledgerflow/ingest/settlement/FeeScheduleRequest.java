package io.ledgerflow.ingest.settlement;

import static io.ledgerflow.ingest.validation.Fields.rejectUnknown;
import static io.ledgerflow.ingest.validation.Fields.requireObject;
import static io.ledgerflow.ingest.validation.Fields.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.readmodel.settlement.FeeRule;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import io.ledgerflow.schemas.money.InvalidAmountException;
import io.ledgerflow.schemas.money.MinorUnits;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bodies of the admin fee and settlement routes, checked field by field; every refusal names
 * the field.
 *
 * <pre>
 * POST /api/v1/admin/partners/{partnerId}/fee-schedules
 * {"effectiveFrom": "2027-01-01T00:00:00Z",
 *  "rules": [{"movementType": "CAPTURE", "currency": "USD", "percentBasisPoints": 290,
 *             "fixed": "0.30", "minimum": "0.50", "maximum": "25.00"}]}
 *
 * PUT /api/v1/admin/partners/{partnerId}/settlement-settings
 * {"cutoffTime": "17:00", "timeZone": "Europe/Berlin", "periodHours": 24}
 * </pre>
 */
public final class FeeScheduleRequest {

    private static final Set<String> SCHEDULE_FIELDS = Set.of("effectiveFrom", "rules");
    private static final Set<String> RULE_FIELDS =
            Set.of("movementType", "currency", "percentBasisPoints", "fixed", "minimum", "maximum");
    private static final Set<String> SETTINGS_FIELDS =
            Set.of("cutoffTime", "timeZone", "periodHours");
    private static final Set<String> MOVEMENT_TYPES =
            Set.of("TRANSFER", "DEPOSIT", "WITHDRAWAL", "CAPTURE", "REFUND");

    /** A parsed fee schedule body. */
    public record Schedule(Instant effectiveFrom, List<FeeRule> rules) {}

    private FeeScheduleRequest() {}

    public static Schedule schedule(JsonNode body) {
        requireObject(body, "the body");
        rejectUnknown(body, SCHEDULE_FIELDS);
        Instant effectiveFrom;
        try {
            effectiveFrom = Instant.parse(requiredString(body, "effectiveFrom"));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_TIMESTAMP,
                    "effectiveFrom",
                    "effectiveFrom must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
        }
        JsonNode rules = body.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new InvalidRequestException(
                    ErrorCode.MISSING_FIELD, "rules", "rules must be an array of fee rules");
        }
        if (rules.size() > 100) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY, "rules", "a fee schedule has at most 100 rules");
        }
        List<FeeRule> parsed = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            FeeRule rule;
            try {
                rule = rule(rules.get(i));
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException(e.problem().withFieldPrefix("rules[" + i + "]."));
            }
            if (!seen.add(rule.movementType() + "/" + rule.currency())) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_BODY,
                        "rules[" + i + "]",
                        "a second rule for " + rule.movementType() + " in " + rule.currency());
            }
            parsed.add(rule);
        }
        return new Schedule(effectiveFrom, parsed);
    }

    /** One rule; the fields of its refusals are relative to the rule. */
    private static FeeRule rule(JsonNode node) {
        requireObject(node, "a fee rule");
        rejectUnknown(node, RULE_FIELDS);
        String type = requiredString(node, "movementType");
        if (!MOVEMENT_TYPES.contains(type)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_MOVEMENT_TYPE,
                    "movementType",
                    "movementType must be one of "
                            + String.join(", ", MOVEMENT_TYPES.stream().sorted().toList())
                            + " (the types that move money)");
        }
        String currency = requiredString(node, "currency");
        try {
            MinorUnits.exponent(currency);
        } catch (InvalidAmountException e) {
            throw new InvalidRequestException(
                    ErrorCode.UNKNOWN_CURRENCY, "currency", e.getMessage());
        }
        JsonNode bp = node.get("percentBasisPoints");
        if (bp == null || !bp.isInt() || bp.intValue() < 0 || bp.intValue() > 10_000) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE,
                    "percentBasisPoints",
                    "percentBasisPoints must be a whole number from 0 to 10000 (1 = 0.01 %)");
        }
        long fixed = amount(node, "fixed", currency);
        Long min = node.has("minimum") ? amount(node, "minimum", currency) : null;
        Long max = node.has("maximum") ? amount(node, "maximum", currency) : null;
        if (min != null && max != null && min > max) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY, "minimum", "minimum must not exceed maximum");
        }
        return new FeeRule(type, currency, bp.intValue(), fixed, min, max);
    }

    private static long amount(JsonNode node, String field, String currency) {
        String text = requiredString(node, field);
        try {
            return MinorUnits.standard().parseNonNegative(text, currency);
        } catch (InvalidAmountException e) {
            throw new InvalidRequestException(ErrorCode.INVALID_AMOUNT, field, e.getMessage());
        }
    }

    public static SettlementCalendar settings(JsonNode body) {
        requireObject(body, "the body");
        rejectUnknown(body, SETTINGS_FIELDS);
        LocalTime cutoff;
        try {
            cutoff = LocalTime.parse(requiredString(body, "cutoffTime"));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY,
                    "cutoffTime",
                    "cutoffTime must be HH:mm, such as 17:00");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(requiredString(body, "timeZone"));
        } catch (DateTimeException e) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY,
                    "timeZone",
                    "timeZone must be a time zone id such as UTC or Europe/Berlin");
        }
        JsonNode hours = body.get("periodHours");
        int periodHours = hours == null ? 24 : hours.isInt() ? hours.intValue() : -1;
        if (periodHours <= 0 || 24 % periodHours != 0) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY,
                    "periodHours",
                    "periodHours must divide 24: 1, 2, 3, 4, 6, 8, 12 or 24 (the default)");
        }
        return new SettlementCalendar(cutoff, zone, periodHours);
    }
}
