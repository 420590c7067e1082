package io.ledgerflow.ingest.auth;

/**
 * What an API key may do. The scopes are nested: {@code WRITE} includes {@code READ} (a partner
 * that moves money must be able to see the outcome), and {@code ADMIN} includes both (as the admin
 * role did before scopes, an admin key may also act as its own partner and read any partner's data
 * through the admin routes).
 */
public enum Scope {
    /** GET routes of the key's own partner. */
    READ,
    /** Also movements and account commands of the key's own partner. */
    WRITE,
    /** Also the admin routes ({@code /api/v1/admin/...}), across partners. */
    ADMIN;

    /** Whether a key of this scope may do what {@code needed} allows. */
    public boolean includes(Scope needed) {
        return ordinal() >= needed.ordinal();
    }
}
