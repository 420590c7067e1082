package io.ledgerflow.ingest.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes a line for the API keys file.
 *
 * <pre>
 * ApiKeyHashCommand PARTNER_ID partner|admin [KEY]
 * </pre>
 *
 * Without {@code KEY}, a random 32-byte key is generated and printed once to standard error (hand
 * it to the partner; it is not stored anywhere). The keys-file line goes to standard output.
 */
public final class ApiKeyHashCommand {

    private ApiKeyHashCommand() {}

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || !args[1].matches("partner|admin")) {
            System.err.println("usage: ApiKeyHashCommand PARTNER_ID partner|admin [KEY]");
            System.exit(2);
        }
        String key = args.length == 3 ? args[2] : newKey();
        if (args.length == 2) {
            System.err.println("new API key (give it to the partner, it is not stored): " + key);
        }
        String line = args[0] + ":" + args[1] + ":" + ApiKeys.sha256Hex(key);
        // Validate the line the way the service will read it.
        ApiKeys.parse(java.util.List.of(line), "generated line");
        System.out.println(line);
    }

    static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "lf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
