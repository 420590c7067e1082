package io.ledgerflow.ingest.admin;

/**
 * Who performs an admin action, as the audit trail records it: the admin key's id and partner, and
 * the request id that carried the action ({@code system} for imports at start).
 */
public record Actor(String keyId, String partnerId, String requestId) {

    /** The API itself, importing the keys file or the bootstrap admin key at start. */
    public static final Actor SYSTEM = new Actor("system", "system", null);
}
