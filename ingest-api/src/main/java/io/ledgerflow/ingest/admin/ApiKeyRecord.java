package io.ledgerflow.ingest.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * An API key's metadata as stored (table {@code api_keys}) and listed: never the key, never its
 * hash.
 *
 * @param overlapEndsAt set on a rotated key: it keeps working until then, beside its successor
 */
public record ApiKeyRecord(
        String keyId,
        String partnerId,
        String scope,
        String prefix,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        String rotatedFrom,
        Instant overlapEndsAt) {

    /** This key with a revocation time and an overlap end. */
    public ApiKeyRecord withEnds(Instant revokedAt, Instant overlapEndsAt) {
        return new ApiKeyRecord(
                keyId,
                partnerId,
                scope,
                prefix,
                createdAt,
                expiresAt,
                revokedAt,
                rotatedFrom,
                overlapEndsAt);
    }

    /** What the key is at {@code now}: ACTIVE, ROTATING (in its overlap), or why it stopped. */
    public String statusAt(Instant now) {
        if (revokedAt != null && !now.isBefore(revokedAt)) {
            return "REVOKED";
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return "EXPIRED";
        }
        if (overlapEndsAt != null) {
            return now.isBefore(overlapEndsAt) ? "ROTATING" : "ROTATED";
        }
        return "ACTIVE";
    }

    public ObjectNode toJson(Instant now) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("keyId", keyId);
        json.put("partnerId", partnerId);
        json.put("scope", scope.toLowerCase(Locale.ROOT));
        json.put("prefix", prefix);
        json.put("status", statusAt(now));
        json.put("createdAt", createdAt.toString());
        json.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        json.put("revokedAt", revokedAt == null ? null : revokedAt.toString());
        json.put("rotatedFrom", rotatedFrom);
        json.put("overlapEndsAt", overlapEndsAt == null ? null : overlapEndsAt.toString());
        return json;
    }
}
