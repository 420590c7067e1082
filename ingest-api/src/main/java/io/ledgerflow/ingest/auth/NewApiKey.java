package io.ledgerflow.ingest.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A freshly issued API key: {@code lf_<keyId>_<secret>}. The key id (12 characters of base32, 60
 * bits) names the key in lists, the audit trail and logs, and its first part, {@code lf_<keyId>},
 * is the non-secret prefix shown to operators; the secret is 32 random bytes from {@link
 * SecureRandom} (256 bits, base64url). Only the SHA-256 of the whole key is stored; the key itself
 * is shown once, in the answer to the request that issued it.
 */
public record NewApiKey(String keyId, String prefix, String key, byte[] hash) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /** A new key with a random id. */
    public static NewApiKey generate() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = BASE32[RANDOM.nextInt(BASE32.length)];
        }
        String keyId = new String(id);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key =
                "lf_"
                        + keyId
                        + "_"
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewApiKey(keyId, "lf_" + keyId, key, ApiKeys.sha256(key));
    }

    @Override
    public String toString() {
        // Never the key: records print their components.
        return "NewApiKey[" + keyId + "]";
    }
}
