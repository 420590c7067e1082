package io.ledgerflow.sinks.clickhouse;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a failure worth retrying (server unreachable or restarting, overloaded, timed out) from one
 * that will fail the same way again (bad SQL, wrong types). Retrying the latter only delays the
 * task failure that surfaces it.
 */
final class TransientFailures {

    private TransientFailures() {}

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

    /** ClickHouse error codes that say "try again later". */
    private static final Set<Integer> TRANSIENT_CODES =
            Set.of(
                    3, // UNEXPECTED_END_OF_FILE
                    159, // TIMEOUT_EXCEEDED
                    164, // READONLY (replica in recovery)
                    202, // TOO_MANY_SIMULTANEOUS_QUERIES
                    203, // NO_FREE_CONNECTION
                    209, // SOCKET_TIMEOUT
                    210, // NETWORK_ERROR
                    241, // MEMORY_LIMIT_EXCEEDED
                    242, // TABLE_IS_READ_ONLY
                    252, // TOO_MANY_PARTS
                    285, // TOO_FEW_LIVE_REPLICAS
                    319, // UNKNOWN_STATUS_OF_INSERT
                    425, // SYSTEM_ERROR
                    999); // KEEPER_EXCEPTION

    static boolean isTransient(Throwable failure) {
        Integer code = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true; // connection refused, reset, timed out: the server is away
            }
            if (code == null && t.getMessage() != null) {
                Matcher m = CODE.matcher(t.getMessage());
                if (m.find()) {
                    code = Integer.parseInt(m.group(1));
                }
            }
        }
        // Without a server error code the request did not get an answer: treat as transient.
        return code == null || TRANSIENT_CODES.contains(code);
    }
}
