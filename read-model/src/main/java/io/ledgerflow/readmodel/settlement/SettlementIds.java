package io.ledgerflow.readmodel.settlement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Deterministic ids. A batch id is derived from partner, currency and period start, so running a
 * period again finds the same batch; the fee, revenue and payout transaction ids are derived from
 * the batch id, so submitting them again is a duplicate the ledger's idempotency gate drops. All
 * fit the ledger's transaction id syntax ({@code [A-Za-z0-9._:-]{1,64}}).
 */
public final class SettlementIds {

    private SettlementIds() {}

    /** {@code stl-} and the first 32 hex digits of SHA-256 over the length-prefixed three. */
    public static String batchId(String partnerId, String currency, Instant periodStart) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {partnerId, currency, periodStart.toString()}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                sha.update(new byte[] {(byte) (b.length >>> 8), (byte) b.length});
                sha.update(b);
            }
            return "stl-" + HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The fee's withdrawal from the partner's settlement account. */
    public static String fee(String batchId) {
        return batchId + ".fee";
    }

    /** The fee's deposit into the platform's revenue account. */
    public static String revenue(String batchId) {
        return batchId + ".revenue";
    }

    /** The payout from the settlement account to the outside world. */
    public static String payout(String batchId) {
        return batchId + ".payout";
    }
}
