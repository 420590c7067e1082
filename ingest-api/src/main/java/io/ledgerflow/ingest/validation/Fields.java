package io.ledgerflow.ingest.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading typed fields out of a JSON object, with the API's error codes: the movement and account
 * parsers here and the admin routes use the same rules.
 */
public final class Fields {

    /** Transaction, account and command ids: safe in URLs, Kafka keys and log lines. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private Fields() {}

    public static JsonNode requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY, null, what + " must be a JSON object");
        }
        return node;
    }

    /** Rejects the first member that is not in {@code known}, in document order. */
    public static void rejectUnknown(JsonNode object, Set<String> known) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidRequestException(
                        ErrorCode.UNKNOWN_FIELD,
                        printable(name),
                        "unknown field; allowed fields are " + String.join(", ", known));
            }
        }
    }

    /** A string member; null if absent or JSON null. */
    public static String optionalString(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE, field, field + " must be a JSON string");
        }
        return value.textValue();
    }

    public static String requiredString(JsonNode object, String field) {
        String value = optionalString(object, field);
        if (value == null) {
            throw new InvalidRequestException(
                    ErrorCode.MISSING_FIELD, field, field + " is required");
        }
        return value;
    }

    static String requireId(String value, String field) {
        if (!isId(value)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    field,
                    field + " must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    /** Same as {@link #ID}, as a plain loop: it runs several times per movement. */
    static boolean isId(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '.'
                            || c == '_'
                            || c == ':'
                            || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Field names come from untrusted input: keep what goes back into the problem short. */
    public static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
