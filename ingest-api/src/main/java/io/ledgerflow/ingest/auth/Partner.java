package io.ledgerflow.ingest.auth;

/**
 * Who is calling: the partner an API key belongs to, the key's scope and id, and whether the
 * partner is suspended. The partner id is stamped on every movement and account command; it never
 * comes from a request body.
 *
 * @param keyId the key's id, for the audit trail ({@code static} for keys-file keys not held in
 *     PostgreSQL)
 * @param suspended a suspended partner is refused on every route (403), its data untouched
 */
public record Partner(String partnerId, Scope scope, String keyId, boolean suspended) {

    /** An active partner's key with no id of its own (the static keys file). */
    public Partner(String partnerId, Scope scope) {
        this(partnerId, scope, "static", false);
    }

    public boolean isAdmin() {
        return scope == Scope.ADMIN;
    }
}
