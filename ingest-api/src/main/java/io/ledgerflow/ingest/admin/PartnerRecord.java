package io.ledgerflow.ingest.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A partner as stored (table {@code partners}) and shown by the admin routes. A null limit means
 * the configured default applies.
 */
public record PartnerRecord(
        String partnerId,
        String displayName,
        String status,
        Integer requestsPerSecond,
        Integer requestBurst,
        Integer movementsPerSecond,
        Integer movementBurst,
        String contactName,
        String contactEmail,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final String ACTIVE = "ACTIVE";
    public static final String SUSPENDED = "SUSPENDED";

    /** The JSON resource; also what the audit trail keeps as before and after. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("partnerId", partnerId);
        json.put("displayName", displayName);
        json.put("status", status);
        ObjectNode limits = json.putObject("limits");
        limits.put("requestsPerSecond", requestsPerSecond);
        limits.put("requestBurst", requestBurst);
        limits.put("movementsPerSecond", movementsPerSecond);
        limits.put("movementBurst", movementBurst);
        json.put("contactName", contactName);
        json.put("contactEmail", contactEmail);
        json.put("createdAt", createdAt.toString());
        json.put("updatedAt", updatedAt.toString());
        json.put("version", version);
        return json;
    }
}
