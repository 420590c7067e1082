package io.ledgerflow.ingest.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys the service accepts, held only as SHA-256 hashes.
 *
 * <p>File format, one key per line ({@code #} starts a comment): {@code partnerId:role:sha256hex}
 * with role {@code partner} or {@code admin}. Produce a line with {@link ApiKeyHashCommand}.
 *
 * <p>A presented key is hashed and looked up in a hash map keyed by the hash: the cost is one
 * SHA-256 and one lookup whatever the number of keys. The lookup compares hashes, not keys, so its
 * timing could at most tell how close a guess's <em>hash</em> came to a stored one, which says
 * nothing about a key (finding a key for a hash prefix is a preimage attack on SHA-256). Keys are
 * long random strings, so an unsalted fast hash is enough: there is no dictionary to attack.
 *
 * <p>With a partner database ({@link PostgresPartnerDirectory}) the file's keys become seeds:
 * imported at start when absent ({@link #seeds()}).
 */
public final class ApiKeys implements PartnerDirectory {

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

    /** One line of a keys file: a partner, its key's scope and the key's SHA-256. */
    public record Seed(String partnerId, Scope scope, byte[] hash) {}

    private final List<Seed> seeds;
    private final Map<String, Partner> byHash = new HashMap<>();
    private final Set<String> partnerIds = new HashSet<>();

    private ApiKeys(List<Seed> seeds) {
        this.seeds = List.copyOf(seeds);
        for (Seed seed : seeds) {
            byHash.putIfAbsent(
                    HexFormat.of().formatHex(seed.hash()),
                    new Partner(seed.partnerId(), seed.scope()));
            partnerIds.add(seed.partnerId());
        }
    }

    /** The file's keys, to import into a partner database. */
    public List<Seed> seeds() {
        return seeds;
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
        List<Seed> entries = new ArrayList<>();
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
            // The file's two roles predate scopes: a partner key reads and writes.
            Scope scope =
                    switch (parts[1].toLowerCase(Locale.ROOT)) {
                        case "partner" -> Scope.WRITE;
                        case "admin" -> Scope.ADMIN;
                        default ->
                                throw new IllegalArgumentException(
                                        source
                                                + " line "
                                                + number
                                                + ": role must be partner or admin");
                    };
            entries.add(
                    new Seed(
                            parts[0],
                            scope,
                            HexFormat.of().parseHex(parts[2].toLowerCase(Locale.ROOT))));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no API keys");
        }
        return new ApiKeys(entries);
    }

    /** The partner of a presented key, if the key is known. */
    @Override
    public Optional<Partner> authenticate(String presentedKey) {
        if (!plausible(presentedKey)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256Hex(presentedKey)));
    }

    /** Keys-file partners have no overrides: the configured defaults apply. */
    @Override
    public Optional<StoredLimits> limitsOf(String partnerId) {
        return partnerIds.contains(partnerId) ? Optional.of(StoredLimits.NONE) : Optional.empty();
    }

    public int size() {
        return seeds.size();
    }

    /** Whether a presented key is worth hashing at all (absent or absurdly long: no). */
    static boolean plausible(String presentedKey) {
        return presentedKey != null && !presentedKey.isEmpty() && presentedKey.length() <= 256;
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
