package io.ledgerflow.readmodel.settlement;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One immutable settlement batch: a partner's settlement account in one currency over one period.
 *
 * <p>Figures: {@code credits} and {@code debits} are the covered postings' sums (refunds are part
 * of the debits and also shown apart), {@code fees} the sum of the fees on them, and {@code
 * netPayable = carriedIn + credits - debits - fees}. A positive net is paid out ({@code payout}); a
 * negative one is carried into the next batch ({@code carriedOut}), nothing is paid.
 */
public record SettlementBatch(
        String batchId,
        String partnerId,
        String currency,
        String settlementAccountId,
        SettlementPeriod period,
        Instant closedAt,
        List<BatchLine> lines,
        List<BatchEntry> entries,
        long creditsMinor,
        long debitsMinor,
        int refundCount,
        long refundsMinor,
        long feesMinor,
        long carriedInMinor,
        long netPayableMinor,
        long payoutMinor,
        long carriedOutMinor) {

    /** The layout of {@link #canonicalForm()}; stored with the hash so verifiers know it. */
    public static final int HASH_FORMAT = 1;

    public SettlementBatch {
        lines = List.copyOf(lines);
        entries = List.copyOf(entries);
    }

    public int adjustmentCount() {
        return (int) entries.stream().filter(BatchEntry::adjustment).count();
    }

    /** The smallest covered sequence, or null for a batch without postings (a carry only). */
    public Long firstSequence() {
        return entries.stream().map(e -> e.posting().sequence()).min(Long::compare).orElse(null);
    }

    public Long lastSequence() {
        return entries.stream().map(e -> e.posting().sequence()).max(Long::compare).orElse(null);
    }

    public String feeTransactionId() {
        return feesMinor > 0 ? SettlementIds.fee(batchId) : null;
    }

    public String revenueTransactionId() {
        return feesMinor > 0 ? SettlementIds.revenue(batchId) : null;
    }

    public String payoutTransactionId() {
        return payoutMinor > 0 ? SettlementIds.payout(batchId) : null;
    }

    /** Hex SHA-256 of {@link #canonicalForm()}. */
    public String contentHash() {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalForm()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * The bytes the hash covers, format 1: the text {@code settlement-batch/1}, then every field
     * below as its UTF-8 text prefixed by its length in bytes (4-byte big-endian), so no two
     * batches share a form: id, partner, currency, settlement account, period start and end and
     * close time (ISO-8601 UTC), every figure in decimal, then the lines in stored order
     * (direction, type, adjustment, count, gross, fees), then every covered entry in sequence order
     * (account, sequence, transaction, type, direction, amount, fee, fee version or empty,
     * adjustment, and the entry's own ledger hash, which ties the batch to the ledger's hash
     * chain).
     */
    public byte[] canonicalForm() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, "settlement-batch/" + HASH_FORMAT);
        field(out, batchId);
        field(out, partnerId);
        field(out, currency);
        field(out, settlementAccountId);
        field(out, period.start().toString());
        field(out, period.end().toString());
        field(out, closedAt.toString());
        for (long figure :
                new long[] {
                    creditsMinor,
                    debitsMinor,
                    refundCount,
                    refundsMinor,
                    feesMinor,
                    carriedInMinor,
                    netPayableMinor,
                    payoutMinor,
                    carriedOutMinor
                }) {
            field(out, Long.toString(figure));
        }
        field(out, Integer.toString(lines.size()));
        for (BatchLine l : lines) {
            field(out, l.direction());
            field(out, l.movementType());
            field(out, Boolean.toString(l.adjustment()));
            field(out, Integer.toString(l.entryCount()));
            field(out, Long.toString(l.grossMinor()));
            field(out, Long.toString(l.feesMinor()));
        }
        field(out, Integer.toString(entries.size()));
        for (BatchEntry e : entries) {
            SettledPosting p = e.posting();
            field(out, p.accountId());
            field(out, Long.toString(p.sequence()));
            field(out, p.transactionId());
            field(out, p.movementType());
            field(out, p.direction());
            field(out, Long.toString(p.amountMinor()));
            field(out, Long.toString(e.feeMinor()));
            field(out, e.feeVersion() == null ? "" : e.feeVersion().toString());
            field(out, Boolean.toString(e.adjustment()));
            field(out, p.entryHash());
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(bytes);
    }
}
