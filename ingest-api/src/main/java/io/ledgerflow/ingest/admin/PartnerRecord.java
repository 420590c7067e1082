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

    /** A new partner, active, at version 1. */
    public static PartnerRecord created(PartnerRecord wanted, Instant now) {
        return new PartnerRecord(
                wanted.partnerId,
                wanted.displayName,
                ACTIVE,
                wanted.requestsPerSecond,
                wanted.requestBurst,
                wanted.movementsPerSecond,
                wanted.movementBurst,
                wanted.contactName,
                wanted.contactEmail,
                now,
                now,
                1);
    }

    /**
     * The next version of this partner: the editable fields of {@code edited}, this partner's id
     * and creation time, {@code status}, changed at {@code now}.
     */
    public PartnerRecord next(PartnerRecord edited, String status, Instant now) {
        return new PartnerRecord(
                partnerId,
                edited.displayName,
                status,
                edited.requestsPerSecond,
                edited.requestBurst,
                edited.movementsPerSecond,
                edited.movementBurst,
                edited.contactName,
                edited.contactEmail,
                createdAt,
                now,
                version + 1);
    }

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
