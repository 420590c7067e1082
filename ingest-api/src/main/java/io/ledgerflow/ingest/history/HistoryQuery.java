package io.ledgerflow.ingest.history;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.validation.AccountOpeningParser;
import io.ledgerflow.ingest.validation.Fields;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The query string of a history route, read and checked in one fixed order so that one input always
 * gets one code: unknown or repeated parameters first, then each value in the order the route asks
 * for them. Every refusal is a 400 problem naming the parameter in {@code field}.
 */
final class HistoryQuery {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_METADATA_FILTERS = 5;
    static final int MAX_METADATA_KEY = 64;
    static final int MAX_METADATA_VALUE = 512;

    /** {@code metadata[key]}: the key is any text without brackets, 1 to 64 characters. */
    private static final Pattern METADATA = Pattern.compile("metadata\\[([^\\[\\]]{1,64})]");

    private static final Set<String> TYPES =
            Arrays.stream(MovementType.values()).map(Enum::name).collect(Collectors.toSet());
    private static final Set<String> STATUSES =
            Arrays.stream(TransactionStatus.values()).map(Enum::name).collect(Collectors.toSet());

    private final MultiMap params;

    private HistoryQuery(MultiMap params) {
        this.params = params;
    }

    /**
     * The parameters, refusing any but {@code allowed} (and {@code metadata[...]} when {@code
     * metadataFilters}), and any given twice.
     */
    static HistoryQuery of(MultiMap params, boolean metadataFilters, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String name : params.names()) {
            boolean isMetadata = name.startsWith("metadata");
            if (!known.contains(name) && !(metadataFilters && isMetadata)) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_QUERY_PARAMETER,
                        Fields.printable(name),
                        "unknown query parameter; allowed: "
                                + String.join(", ", allowed)
                                + (metadataFilters ? ", metadata[key]" : ""));
            }
            if (params.getAll(name).size() > 1) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_QUERY_PARAMETER,
                        Fields.printable(name),
                        Fields.printable(name) + " is given twice");
            }
        }
        return new HistoryQuery(params);
    }

    String cursor() {
        return params.get("cursor");
    }

    int limit() {
        String text = params.get("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (text.length() <= 3 && text.chars().allMatch(Character::isDigit)) {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw new InvalidRequestException(
                ErrorCode.INVALID_QUERY_PARAMETER,
                "limit",
                "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** An account id filter, or null. */
    String accountId() {
        String id = params.get("accountId");
        if (id != null && !AccountOpeningParser.isValidId(id)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "accountId",
                    "accountId must be 1 to 64 characters from A-Z, a-z, 0-9 and . _ : -");
        }
        return id;
    }

    /** A movement type filter, or null. */
    String type() {
        String type = params.get("type");
        if (type != null && !TYPES.contains(type)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_MOVEMENT_TYPE,
                    "type",
                    "type must be one of " + String.join(", ", new java.util.TreeSet<>(TYPES)));
        }
        return type;
    }

    /** A ledger status filter, or null. */
    String status() {
        String status = params.get("status");
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_STATUS,
                    "status",
                    "status must be one of "
                            + String.join(", ", new java.util.TreeSet<>(STATUSES)));
        }
        return status;
    }

    /**
     * A time parameter, or null when absent: RFC 3339 with an offset ({@code 2026-12-01T00:00:00Z},
     * {@code 2026-12-01T01:00:00+01:00}). A space where the offset's {@code +} belongs is read as
     * {@code +}: an unencoded {@code +} in a query string arrives as a space. Rounded up to the
     * microsecond (the database's precision), which keeps a half-open range [from, to) exactly the
     * same set of rows.
     */
    Instant time(String name) {
        String text = params.get(name);
        if (text == null) {
            return null;
        }
        try {
            Instant t =
                    OffsetDateTime.parse(
                                    text.replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant();
            if (t.isBefore(Instant.EPOCH) || t.isAfter(LATEST)) {
                throw new DateTimeParseException("out of range", text, 0);
            }
            Instant micros = t.truncatedTo(ChronoUnit.MICROS);
            return micros.equals(t) ? t : micros.plus(1, ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_TIMESTAMP,
                    name,
                    name
                            + " must be an RFC 3339 time with an offset between 1970 and 9999,"
                            + " e.g. 2026-12-01T00:00:00Z");
        }
    }

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A required time parameter. */
    Instant requiredTime(String name) {
        Instant t = time(name);
        if (t == null) {
            throw new InvalidRequestException(
                    ErrorCode.MISSING_QUERY_PARAMETER,
                    name,
                    name + " is required (an RFC 3339 time, e.g. 2026-12-01T00:00:00Z)");
        }
        return t;
    }

    /** Refuses an empty or reversed range, and one wider than {@code maxWidth} (null: no bound). */
    static void checkRange(Instant from, Instant to, Duration maxWidth) {
        if (from == null || to == null) {
            return;
        }
        if (!from.isBefore(to)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_RANGE,
                    "to",
                    "to must be after from (the range is [from, to))");
        }
        if (maxWidth != null && Duration.between(from, to).compareTo(maxWidth) > 0) {
            throw new InvalidRequestException(
                    ErrorCode.RANGE_TOO_WIDE,
                    "to",
                    "the range may span at most " + maxWidth.toDays() + " days");
        }
    }

    /**
     * The {@code metadata[key]=value} filters in key order (a fixed order, so that the same filters
     * always bind a cursor the same way): at most 5, keys 1 to 64 characters, values 1 to 512.
     */
    Map<String, String> metadata() {
        Map<String, String> filters = new TreeMap<>();
        for (String name : params.names()) {
            if (!name.startsWith("metadata")) {
                continue;
            }
            Matcher m = METADATA.matcher(name);
            if (!m.matches()) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_METADATA,
                        Fields.printable(name),
                        "metadata filters are written metadata[key]=value, the key 1 to "
                                + MAX_METADATA_KEY
                                + " characters without brackets");
            }
            String value = params.get(name);
            if (value.isEmpty() || value.length() > MAX_METADATA_VALUE) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_METADATA,
                        Fields.printable(name),
                        "a metadata filter's value must be 1 to "
                                + MAX_METADATA_VALUE
                                + " characters");
            }
            filters.put(m.group(1), value);
        }
        if (filters.size() > MAX_METADATA_FILTERS) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_METADATA,
                    "metadata",
                    "at most " + MAX_METADATA_FILTERS + " metadata filters");
        }
        return new LinkedHashMap<>(filters);
    }
}
