package io.ledgerflow.ingest.webhooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook signing secrets at rest: AES-256-GCM under a key given as 32 bytes in base64
 * ({@code LEDGERFLOW_WEBHOOK_SECRETS_KEY} or {@code …_FILE}, a mounted Kubernetes Secret). Stored
 * form: a version byte (1), a random 12-byte nonce, the ciphertext with its 16-byte tag; the
 * endpoint id is the associated data, so a ciphertext copied onto another endpoint does not
 * decrypt. {@code toString} never shows the key.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** From 32 bytes in base64; throws {@link IllegalArgumentException} otherwise. */
    public static SecretBox fromBase64(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secrets key is not base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(
                    "the webhook secrets key must be 32 bytes (base64 of 44 characters), got "
                            + key.length);
        }
        return new SecretBox(key);
    }

    public byte[] seal(String secret, String endpointId) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + nonce.length + sealed.length)
                    .put(VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a webhook secret", e);
        }
    }

    public String open(byte[] stored, String endpointId) {
        if (stored.length < 1 + 12 + 16 || stored[0] != VERSION) {
            throw new IllegalStateException(
                    "webhook secret of endpoint " + endpointId + " unreadable");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(128, Arrays.copyOfRange(stored, 1, 13)));
            cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            return new String(
                    cipher.doFinal(stored, 13, stored.length - 13), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Wrong key (rotated without re-encrypting) or tampered row; never the secret itself.
            throw new IllegalStateException(
                    "webhook secret of endpoint " + endpointId + " does not decrypt with this key",
                    e);
        }
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM, key ****]";
    }
}
