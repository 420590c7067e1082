package io.ledgerflow.ingest.auth;

/**
 * Who is calling: the partner an API key belongs to, and its role. The partner id is stamped on
 * every movement and account command; it never comes from a request body.
 */
public record Partner(String partnerId, Role role) {

    /** What a key may do. */
    public enum Role {
        /** Moves money and manages accounts of its own partner only. */
        PARTNER,
        /** Also reads across partners through {@code /api/v1/admin/...}. */
        ADMIN
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
