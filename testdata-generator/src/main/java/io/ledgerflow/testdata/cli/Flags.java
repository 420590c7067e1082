package io.ledgerflow.testdata.cli;

import io.ledgerflow.schemas.config.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value}, {@code --name=value} and bare {@code --switch} flags, parsed once. A
 * hand-written parser rather than picocli: a dozen flags do not justify a dependency in a jar that
 * local-platform also embeds. Every flag read is remembered, so {@link #rejectUnknown()} names any
 * flag the command does not know (a typo must not silently fall back to a default).
 */
final class Flags {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> read = new HashSet<>();

    Flags(String[] args, Set<String> switches) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (switches.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
    }

    String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = string(name, null);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    boolean has(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    boolean isSet(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    long longValue(String name, long fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got " + v);
        }
    }

    double doubleValue(String name, double fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got " + v);
        }
    }

    /**
     * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} ({@link Durations}); the fallback when
     * absent.
     */
    Duration duration(String name, Duration fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a duration like 500ms, 30s, 5m, 1h; got " + v);
        }
    }

    /** Fails naming every given flag that no one read. */
    void rejectUnknown() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown flag(s): --" + String.join(", --", unknown));
        }
    }
}
