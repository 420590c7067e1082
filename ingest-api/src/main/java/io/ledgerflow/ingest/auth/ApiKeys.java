package io.ledgerflow.ingest.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys the service accepts, held only as SHA-256 hashes.
 *
 * <p>File format, one key per line ({@code #} starts a comment): {@code partnerId:role:sha256hex}
 * with role {@code partner} or {@code admin}. Produce a line with {@link ApiKeyHashCommand}.
 *
 * <p>A presented key is hashed and compared with every stored hash in constant time, without
 * stopping at the first match, so the answer time says nothing about how close a guess was. Keys
 * are long random strings, so an unsalted fast hash is enough: there is no dictionary to attack.
 */
public final class ApiKeys {

    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Keys for local runs when {@code LEDGERFLOW_API_KEYS_FILE} is not set: partner {@code
     * dev-partner} with key {@code dev-partner-key}, partner {@code dev-partner-2} with key {@code
     * dev-partner-2-key}, and admin {@code dev-admin} with key {@code dev-admin-key}.
     */
    public static final List<String> DEV_KEYS =
            List.of(
                    "dev-partner:partner:" + sha256Hex("dev-partner-key"),
                    "dev-partner-2:partner:" + sha256Hex("dev-partner-2-key"),
                    "dev-admin:admin:" + sha256Hex("dev-admin-key"));

    private record Entry(Partner partner, byte[] hash) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads a keys file; fails on the first malformed line (a typo must not go unnoticed). */
    public static ApiKeys load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API keys file " + file, e);
        }
    }

    /** The built-in development keys ({@link #DEV_KEYS}). */
    public static ApiKeys developmentKeys() {
        return parse(DEV_KEYS, "development keys");
    }

    public static ApiKeys parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", -1);
            if (parts.length != 3
                    || !PARTNER_ID.matcher(parts[0]).matches()
                    || !HEX_SHA256.matcher(parts[2].toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException(
                        source
                                + " line "
                                + number
                                + ": expected partnerId:role:sha256hex (role partner|admin)");
            }
            Partner.Role role =
                    switch (parts[1].toLowerCase(Locale.ROOT)) {
                        case "partner" -> Partner.Role.PARTNER;
                        case "admin" -> Partner.Role.ADMIN;
                        default ->
                                throw new IllegalArgumentException(
                                        source
                                                + " line "
                                                + number
                                                + ": role must be partner or admin");
                    };
            entries.add(
                    new Entry(
                            new Partner(parts[0], role),
                            HexFormat.of().parseHex(parts[2].toLowerCase(Locale.ROOT))));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no API keys");
        }
        return new ApiKeys(entries);
    }

    /** The partner of a presented key, if the key is known. */
    public Optional<Partner> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 256) {
            return Optional.empty();
        }
        byte[] hash = sha256(presentedKey);
        Partner found = null;
        for (Entry entry : entries) {
            // No early exit: every key is compared on every call.
            if (MessageDigest.isEqual(entry.hash, hash) && found == null) {
                found = entry.partner;
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return entries.size();
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
