package io.ledgerflow.ingest.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * An RFC 9457 problem: {@code type}, {@code title}, {@code status}, {@code detail}, plus the
 * extension members {@code code} (machine-readable, an {@link ErrorCode}) and {@code field} (the
 * JSON pointer-ish path of the offending field, e.g. {@code amount} or {@code items[3].currency};
 * absent when no single field is to blame).
 */
public record Problem(ErrorCode code, String detail, String field) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail) {
        return new Problem(code, detail, null);
    }

    public static Problem field(ErrorCode code, String field, String detail) {
        return new Problem(code, detail, field);
    }

    public int status() {
        return code.status();
    }

    /** The same problem with its field placed under a prefix, e.g. {@code items[3].}. */
    public Problem withFieldPrefix(String prefix) {
        return new Problem(code, detail, field == null ? null : prefix + field);
    }

    /** Writes the members of the problem object (without the enclosing braces). */
    public void writeMembers(JsonGenerator json) throws IOException {
        json.writeStringField("type", code.type());
        json.writeStringField("title", code.title());
        json.writeNumberField("status", code.status());
        json.writeStringField("detail", detail);
        json.writeStringField("code", code.name());
        if (field != null) {
            json.writeStringField("field", field);
        }
    }
}
