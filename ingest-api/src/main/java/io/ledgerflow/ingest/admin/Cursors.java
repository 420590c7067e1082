package io.ledgerflow.ingest.admin;

import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Opaque keyset-pagination cursors: base64url of a kind, a version and the last key of the page
 * ({@code p1:<partnerId>}, {@code a1:<auditId>}). Opaque so that clients do not build them; keyset
 * rather than offsets so that a page is one index range scan however deep it is, and inserts
 * between two requests neither repeat nor skip rows.
 */
final class Cursors {

    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Cursors() {}

    static String partner(String lastPartnerId) {
        return encode("p1:" + lastPartnerId);
    }

    static String audit(long lastAuditId) {
        return encode("a1:" + lastAuditId);
    }

    /** The partner id after which the next page starts. */
    static String parsePartner(String cursor) {
        String text = decode(cursor);
        if (!text.startsWith("p1:") || !PARTNER_ID.matcher(text.substring(3)).matches()) {
            throw invalid();
        }
        return text.substring(3);
    }

    /** The audit id below which the next page starts. */
    static long parseAudit(String cursor) {
        String text = decode(cursor);
        if (!text.startsWith("a1:")) {
            throw invalid();
        }
        try {
            long id = Long.parseLong(text.substring(3));
            if (id < 1) {
                throw invalid();
            }
            return id;
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        if (cursor.length() > 200) {
            throw invalid();
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException(
                ErrorCode.INVALID_CURSOR,
                "cursor",
                "cursor is not one this API handed out; start again without it");
    }
}
