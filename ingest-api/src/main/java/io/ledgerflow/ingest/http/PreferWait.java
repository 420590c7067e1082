package io.ledgerflow.ingest.http;

import java.time.Duration;

/**
 * The {@code wait} preference of an RFC 7240 {@code Prefer} header: how long a client is willing to
 * wait for a final answer. {@code Prefer: wait=5} (or among other preferences, {@code Prefer:
 * respond-async, wait=5}, in one header or several). A preference the server does not understand,
 * or a malformed one, is ignored, as RFC 7240 asks; a longer wait than the server offers is
 * shortened to its maximum.
 */
public final class PreferWait {

    /** The longest wait the API offers (issue 15: up to 10 seconds). */
    public static final Duration MAX = Duration.ofSeconds(10);

    private PreferWait() {}

    /** The wait asked for, at most {@link #MAX}; null when none (or zero, or malformed). */
    public static Duration of(Iterable<String> preferHeaders) {
        Duration wait = null;
        for (String header : preferHeaders) {
            for (String preference : header.split(",")) {
                // A preference may carry parameters after ';': only its own value counts.
                String token = preference.split(";", 2)[0].trim();
                int eq = token.indexOf('=');
                if (eq < 0 || !token.substring(0, eq).trim().equalsIgnoreCase("wait")) {
                    continue;
                }
                String value = token.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.matches("[0-9]{1,9}")) {
                    continue;
                }
                long seconds = Long.parseLong(value);
                if (seconds > 0) {
                    wait = Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
                }
            }
        }
        return wait;
    }
}
