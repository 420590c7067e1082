package io.ledgerflow.ingest.testutils;

import io.ledgerflow.ingest.auth.ApiKeys;
import java.util.List;

/** API keys of the test partners. */
public final class TestKeys {
    public static final String PARTNER_A = "partner-a";
    public static final String PARTNER_B = "partner-b";
    public static final String KEY_A = "test-key-partner-a";
    public static final String KEY_B = "test-key-partner-b";
    public static final String KEY_ADMIN = "test-key-admin";

    private TestKeys() {}

    public static ApiKeys apiKeys() {
        return ApiKeys.parse(
                List.of(
                        PARTNER_A + ":partner:" + ApiKeys.sha256Hex(KEY_A),
                        PARTNER_B + ":partner:" + ApiKeys.sha256Hex(KEY_B),
                        "ops:admin:" + ApiKeys.sha256Hex(KEY_ADMIN)),
                "test keys");
    }
}
