package io.ledgerflow.ingest.limits;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} header fields of the IETF httpapi draft
 * (draft-ietf-httpapi-ratelimit-headers-10): Structured Field lists whose items are a quoted policy
 * name with parameters. The policy says {@code q} units per {@code w} seconds; the state says
 * {@code r} units remain and {@code t} seconds until the allowance is back (for a refused request:
 * until it would be admitted, the same as {@code Retry-After}):
 *
 * <pre>
 * RateLimit-Policy: "requests";q=100;w=1, "movements";q=100;w=1
 * RateLimit: "requests";r=99;t=1, "movements";r=0;t=1
 * </pre>
 *
 * The movements policy leaves out the quota unit {@code qu}: the draft registers only {@code
 * request}, {@code content-bytes} and {@code concurrent-requests}; the name says what it counts.
 */
public final class RateLimitHeaders {

    public static final String POLICY = "RateLimit-Policy";
    public static final String STATE = "RateLimit";

    private RateLimitHeaders() {}

    /** The policy item, e.g. {@code "requests";q=100;w=1}. */
    public static String policy(Admission a) {
        return "\"" + a.limit().policy() + "\";q=" + a.quota() + ";w=1";
    }

    /** The state item, e.g. {@code "requests";r=0;t=1}. */
    public static String state(Admission a) {
        return "\"" + a.limit().policy() + "\";r=" + a.remaining() + ";t=" + a.resetSeconds();
    }

    /** {@code item} after the list {@code existing} (null: none yet). */
    public static String append(String existing, String item) {
        return existing == null ? item : existing + ", " + item;
    }
}
