package io.ledgerflow.schemas.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one parser of every Ledgerflow process's settings: {@code --name value} arguments (the Flink
 * jobs, the tools) or environment variables (the ingest API, {@code LEDGERFLOW_NAME}). A setting is
 * always named in kebab case ({@code checkpoint-interval}); errors and the printed configuration
 * show it as the process spells it ({@code --checkpoint-interval}, {@code
 * LEDGERFLOW_CHECKPOINT_INTERVAL}).
 *
 * <p>Each typed accessor reads one setting with its default and remembers what it read. A value
 * that does not fit is not thrown at once: {@link #check} fails afterwards with every problem of
 * the command line together (each naming its setting) and every argument no accessor read, so an
 * operator fixes a manifest in one go. {@link #describe} renders the effective configuration, every
 * setting read with its value and whether it was given, secrets masked; each process prints it at
 * start.
 *
 * <p>Not thread-safe; used once, while a process starts.
 */
public final class Settings {

    /** Prefix of every environment variable Ledgerflow reads. */
    public static final String ENVIRONMENT_PREFIX = "LEDGERFLOW_";

    private enum Style {
        ARGUMENTS,
        ENVIRONMENT
    }

    /** What a setting was set to, and from where; for {@link #describe}. */
    private record Effective(String value, String source) {}

    private final Style style;
    private final Map<String, String> given;
    private final Map<String, String> environment;
    private final Set<String> bare;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Effective> effective = new LinkedHashMap<>();

    private Settings(
            Style style, Map<String, String> given, Set<String> bare, Map<String, String> env) {
        this.style = style;
        this.given = given;
        this.bare = bare;
        this.environment = env;
    }

    /**
     * Reads {@code --name value} and {@code --name=value} pairs; a {@code --name} followed by
     * another {@code --name} or by nothing is a switch (only {@link #bool} accepts it). Secrets not
     * given as arguments may come from {@code environment} (see {@link #secret}).
     *
     * @throws IllegalArgumentException for a word that is not {@code --name}, or a name given twice
     */
    public static Settings fromArgs(String[] args, Map<String, String> environment) {
        Map<String, String> given = new LinkedHashMap<>();
        Set<String> bare = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --name value, got \"" + arg + "\"");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
                bare.add("--" + name);
            }
            if (given.put("--" + name, value) != null) {
                throw new IllegalArgumentException("--" + name + " is given twice");
            }
        }
        return new Settings(Style.ARGUMENTS, given, bare, environment);
    }

    /**
     * Reads a whole command line with {@code reader} and {@link #check}s it: what a config's {@code
     * fromArgs} does.
     *
     * @throws IllegalArgumentException naming every unknown setting and every invalid value
     */
    public static <T> T parse(
            String[] args, Map<String, String> environment, Function<Settings, T> reader) {
        Settings settings = fromArgs(args, environment);
        T config = reader.apply(settings);
        settings.check();
        return config;
    }

    /** {@link #fromArgs(String[], Map)} with this process's environment. */
    public static Settings fromArgs(String[] args) {
        return fromArgs(args, System.getenv());
    }

    /**
     * Reads {@code LEDGERFLOW_*} variables: setting {@code max-body-bytes} is {@code
     * LEDGERFLOW_MAX_BODY_BYTES}. A blank variable counts as unset (a manifest's {@code value:
     * ""}).
     */
    public static Settings fromEnvironment(Map<String, String> environment) {
        Map<String, String> given = new LinkedHashMap<>();
        environment.forEach(
                (name, value) -> {
                    if (name.startsWith(ENVIRONMENT_PREFIX) && value != null && !value.isBlank()) {
                        given.put(name, value.strip());
                    }
                });
        return new Settings(Style.ENVIRONMENT, given, Set.of(), environment);
    }

    /** How this process spells {@code name}: {@code --name} or {@code LEDGERFLOW_NAME}. */
    public String key(String name) {
        return style == Style.ARGUMENTS
                ? "--" + name
                : ENVIRONMENT_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Whether {@code name} was given at all (and marks it read). */
    public boolean isGiven(String name) {
        return raw(name) != null;
    }

    /** Text; {@code fallback} when not given. */
    public String string(String name, String fallback) {
        String value = raw(name);
        if (value == null) {
            return remember(name, fallback, fallback, null);
        }
        if (bare.contains(key(name))) {
            return problem(name, "needs a value", fallback);
        }
        return remember(name, value, value, "given");
    }

    /** Text that must be given: a problem when absent. */
    public String required(String name) {
        String value = string(name, null);
        if (value == null || value.isBlank()) {
            return problem(name, "is required", "");
        }
        return value;
    }

    /** Text when given; empty otherwise. */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(string(name, null)).filter(s -> !s.isBlank());
    }

    /** A whole number of at least 1 (shards, parallelism, batch sizes). */
    public int positiveInt(String name, int fallback) {
        return (int) integer(name, fallback, 1, Integer.MAX_VALUE);
    }

    /** A whole number of at least 0 (retries, {@code 0} = none). */
    public int nonNegativeInt(String name, int fallback) {
        return (int) integer(name, fallback, 0, Integer.MAX_VALUE);
    }

    /** A whole number in {@code [min, max]}; {@code _} may group digits ({@code 1_000_000}). */
    public long integer(String name, long fallback, long min, long max) {
        return parsed(
                name,
                fallback,
                text -> {
                    long n = Long.parseLong(text.replace("_", ""));
                    return fits(n, n >= min && n <= max);
                },
                max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                        ? "a whole number of at least " + min
                        : "a whole number from " + min + " to " + max);
    }

    /** A decimal number in {@code [min, max]}. */
    public double number(String name, double fallback, double min, double max) {
        return parsed(
                name,
                fallback,
                text -> {
                    double d = Double.parseDouble(text);
                    return fits(d, d >= min && d <= max);
                },
                max == Double.MAX_VALUE
                        ? "a number of at least " + min
                        : "a number from " + min + " to " + max);
    }

    /** A positive duration in the {@link Durations} syntax ({@code 200ms}, {@code 7d}, PT1S). */
    public Duration duration(String name, Duration fallback) {
        return parsed(name, fallback, text -> positive(Durations.parse(text)), DURATION);
    }

    /** A duration of zero or more ({@code 0s} switches something off). */
    public Duration nonNegativeDuration(String name, Duration fallback) {
        return parsed(
                name,
                fallback,
                text -> {
                    Duration d = Durations.parse(text);
                    return fits(d, !d.isNegative());
                },
                NON_NEGATIVE_DURATION);
    }

    /**
     * A positive duration under its name, or under the older {@code legacyName} whose unit was in
     * the name ({@code LEDGERFLOW_IDEMPOTENCY_TTL_SECONDS}): there a plain number still counts in
     * {@code legacyUnit}, and the {@link Durations} syntax is accepted too. Both given is a
     * problem: which one would win is not obvious to a reader of the manifest.
     */
    public Duration duration(
            String name, String legacyName, ChronoUnit legacyUnit, Duration fallback) {
        return renamedDuration(name, legacyName, legacyUnit, fallback, false);
    }

    /** {@link #duration(String, String, ChronoUnit, Duration)} that also accepts zero. */
    public Duration nonNegativeDuration(
            String name, String legacyName, ChronoUnit legacyUnit, Duration fallback) {
        return renamedDuration(name, legacyName, legacyUnit, fallback, true);
    }

    private Duration renamedDuration(
            String name,
            String legacyName,
            ChronoUnit legacyUnit,
            Duration fallback,
            boolean zeroAllowed) {
        String legacy = raw(legacyName);
        if (legacy == null) {
            return zeroAllowed ? nonNegativeDuration(name, fallback) : duration(name, fallback);
        }
        if (raw(name) != null) {
            return problem(name, "and " + key(legacyName) + " are both given; keep one", fallback);
        }
        try {
            Duration d =
                    legacy.matches("\\d+")
                            ? Duration.of(Long.parseLong(legacy), legacyUnit)
                            : Durations.parse(legacy);
            if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
                throw new IllegalArgumentException();
            }
            return remember(name, d, d, "given as " + key(legacyName));
        } catch (RuntimeException e) {
            return problem(
                    legacyName,
                    "must be "
                            + (zeroAllowed ? NON_NEGATIVE_DURATION : DURATION)
                            + "; got \""
                            + legacy
                            + "\"",
                    fallback);
        }
    }

    /** {@code true} or {@code false} and nothing else: {@code yes} must not silently mean false. */
    public boolean bool(String name, boolean fallback) {
        return parsed(
                name,
                fallback,
                text ->
                        switch (text) {
                            case "true" -> true;
                            case "false" -> false;
                            default -> throw new IllegalArgumentException();
                        },
                "true or false");
    }

    /** One of {@code allowed}, which the error lists. */
    public String choice(String name, String fallback, String... allowed) {
        List<String> choices = Arrays.asList(allowed);
        return parsed(
                name,
                fallback,
                text -> fits(text, choices.contains(text)),
                "one of " + String.join(", ", choices));
    }

    /** An absolute URL with one of {@code schemes} ({@code http}, {@code https}). */
    public String url(String name, String fallback, String... schemes) {
        List<String> allowed = Arrays.asList(schemes);
        return parsed(
                name,
                fallback,
                text -> {
                    URI uri = uri(text);
                    return fits(
                            text,
                            uri.getScheme() != null
                                    && allowed.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                                    && uri.getHost() != null);
                },
                "a URL like " + allowed.get(0) + "://host:port/...");
    }

    /** A JDBC URL of the given driver: {@code jdbc:postgresql://...}, {@code jdbc:clickhouse:}. */
    public String jdbcUrl(String name, String fallback, String driver) {
        String prefix = "jdbc:" + driver + ":";
        return parsed(
                name,
                fallback,
                text -> fits(text, text.startsWith(prefix) && text.length() > prefix.length()),
                "a JDBC URL starting with " + prefix);
    }

    /**
     * A password or key, never shown. The first of these wins: the setting itself; the trimmed
     * content of the file named by {@code name-file} ({@code --postgres-password-file}, {@code
     * LEDGERFLOW_READ_MODEL_PASSWORD_FILE}: a mounted Kubernetes Secret); when reading arguments,
     * the environment variable {@code environmentVariable} (may be null); {@code fallback}.
     * Problems name the file, never its content.
     */
    public Secret secret(String name, String environmentVariable, Secret fallback) {
        String value = raw(name);
        String file = raw(name + "-file");
        if (value != null && bare.contains(key(name))) {
            return problem(name, "needs a value", fallback);
        }
        if (value != null) {
            return remember(name, Secret.of(value), Secret.of(value), "given");
        }
        if (file != null) {
            try {
                Secret s =
                        Secret.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
                return remember(name, s, s, "from " + key(name + "-file") + " " + file);
            } catch (IOException | RuntimeException e) {
                return problem(
                        name + "-file", "cannot be read: " + file + " (" + e + ")", fallback);
            }
        }
        String fromEnvironment =
                style == Style.ARGUMENTS && environmentVariable != null
                        ? environment.get(environmentVariable)
                        : null;
        if (fromEnvironment != null) {
            Secret s = Secret.of(fromEnvironment);
            return remember(name, s, s, "from " + environmentVariable);
        }
        return remember(name, fallback, fallback, null);
    }

    /**
     * Any other type: {@code parse} turns the text into the value and throws when it does not fit;
     * the problem then says the setting must be {@code expectation} (or, when the parser's message
     * is more precise, that message).
     */
    public <T> T parsed(String name, T fallback, Function<String, T> parse, String expectation) {
        String text = raw(name);
        if (text == null) {
            return remember(name, fallback, fallback, null);
        }
        if (bare.contains(key(name)) && !expectation.equals("true or false")) {
            return problem(name, "needs a value (" + expectation + ")", fallback);
        }
        try {
            T value = parse.apply(text.strip());
            return remember(name, value, value, "given");
        } catch (RuntimeException e) {
            return problem(name, "must be " + expectation + "; got \"" + text + "\"", fallback);
        }
    }

    /**
     * Records a problem that spans settings (a retention shorter than a window), naming them in
     * {@code message}. {@link #check} reports it with the others.
     */
    public void problem(String message) {
        problems.add(message);
    }

    /** Every problem found so far, each naming its setting. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        if (style == Style.ARGUMENTS) {
            for (String name : unknown()) {
                all.add(name + " is not a setting of this command");
            }
        }
        return all;
    }

    /**
     * Names given that no accessor read. Arguments: each is a problem (a typo must not silently
     * fall back to a default). Environment: only listed by {@link #describe}, since other programs
     * in the same container may use {@code LEDGERFLOW_} variables of their own.
     */
    public Set<String> unknown() {
        Set<String> unknown = new TreeSet<>();
        Set<String> readKeys = read.stream().map(this::key).collect(Collectors.toSet());
        for (String key : given.keySet()) {
            if (!readKeys.contains(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    /**
     * Fails when any value was invalid or, for arguments, any name unknown: one message with every
     * problem, and the settings this command knows.
     *
     * @throws IllegalArgumentException listing the problems
     */
    public void check() {
        List<String> all = problems();
        if (all.isEmpty()) {
            return;
        }
        String known = read.stream().map(this::key).collect(Collectors.joining(" "));
        throw new IllegalArgumentException(
                "invalid configuration:\n  "
                        + String.join("\n  ", all)
                        + "\nknown settings: "
                        + known);
    }

    /**
     * The effective configuration: one line per setting read, in reading order, {@code name value}
     * and where it came from ({@code given}, a file, a variable; nothing for a default). Secrets
     * show as {@code ***}.
     */
    public String describe() {
        int width = effective.keySet().stream().mapToInt(n -> key(n).length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        effective.forEach(
                (name, e) -> {
                    out.append("  ")
                            .append(String.format("%-" + width + "s", key(name)))
                            .append("  ")
                            .append(e.value().isEmpty() ? "\"\"" : e.value());
                    if (e.source() != null) {
                        out.append("  (").append(e.source()).append(")");
                    }
                    out.append('\n');
                });
        if (style == Style.ENVIRONMENT && !unknown().isEmpty()) {
            out.append("  ignored, not a setting of this process: ")
                    .append(String.join(" ", unknown()))
                    .append('\n');
        }
        return out.toString();
    }

    private String raw(String name) {
        read.add(name);
        return given.get(key(name));
    }

    private <T> T remember(String name, Object shown, T value, String source) {
        effective.put(name, new Effective(render(shown), source));
        return value;
    }

    private <T> T problem(String name, String message, T fallback) {
        problems.add(key(name) + " " + message);
        return fallback;
    }

    private static String render(Object value) {
        if (value == null) {
            return "(unset)";
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).sorted().collect(Collectors.joining(","));
        }
        return value.toString();
    }

    private static Duration positive(Duration d) {
        return fits(d, !d.isNegative() && !d.isZero());
    }

    /**
     * {@code value} when it fits; otherwise the throw that {@link #parsed} turns into a problem.
     */
    private static <T> T fits(T value, boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final String DURATION = "a positive duration like 500ms, 10s, 5m, 1h, 7d";

    private static final String NON_NEGATIVE_DURATION =
            "a duration of zero or more like 0s, 500ms, 10s, 5m, 1h, 7d";
}
