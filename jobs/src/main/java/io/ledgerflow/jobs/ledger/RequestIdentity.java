package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Who a request is for the idempotency gate: its {@link #keyOf key} (partner and id) and its {@link
 * #fingerprintOf fingerprint} (the payload, so that a retry can be told from a conflicting reuse).
 * Not thread-safe: one per operator instance.
 */
public final class RequestIdentity {

    private final SpecificDatumWriter<LedgerRequest> writer =
            new SpecificDatumWriter<>(LedgerRequest.class);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final MessageDigest sha256;
    private BinaryEncoder encoder;

    public RequestIdentity() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The gate's key: ids are unique per partner, movements and commands apart. */
    public static String keyOf(LedgerRequest request) {
        if (request.getRequest() instanceof MoneyMovement m) {
            return m.getPartnerId() + "\u0000tx\u0000" + m.getTransactionId();
        }
        AccountCommand c = (AccountCommand) request.getRequest();
        return c.getPartnerId() + "\u0000cmd\u0000" + c.getCommandId();
    }

    /**
     * 64 bits of SHA-256 over the request as Avro with {@code receivedTime} cleared (a resubmission
     * changes it). The same function as every earlier version, so that ids remembered in a
     * savepoint keep matching their retries.
     *
     * <p>Fields added to {@code MoneyMovement} since the first version ({@code
     * holdExpiresInMillis}, then {@code externalReference}) are appended to its encoding, and the
     * movement is the last thing a {@code LedgerRequest} encodes. While such a field is null it
     * adds exactly one byte at the end (the union's null branch, 0). The trailing run of null added
     * fields is left out of the hash: a movement hashes as it did under the last schema that had
     * none of them, so a retry after an upgrade still matches its original. {@code
     * RequestIdentityTest} pins fingerprints computed by the versions before each field.
     */
    public long fingerprintOf(LedgerRequest request) {
        // Cleared in place and put back, rather than a deep copy per request.
        Object body = request.getRequest();
        int trailingNulls = body instanceof MoneyMovement movement ? trailingNulls(movement) : 0;
        Instant received;
        if (body instanceof MoneyMovement m) {
            received = m.getReceivedTime();
            m.setReceivedTime(Instant.EPOCH);
        } else {
            AccountCommand c = (AccountCommand) body;
            received = c.getReceivedTime();
            c.setReceivedTime(Instant.EPOCH);
        }
        try {
            buffer.reset();
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            writer.write(request, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory Avro encode failed", e);
        } finally {
            if (body instanceof MoneyMovement m) {
                m.setReceivedTime(received);
            } else {
                ((AccountCommand) body).setReceivedTime(received);
            }
        }
        byte[] encoded = buffer.toByteArray();
        sha256.update(encoded, 0, encoded.length - trailingNulls);
        return ByteBuffer.wrap(sha256.digest()).getLong();
    }

    /** How many of the added fields, counted from the last, are null: one byte each. */
    private static int trailingNulls(MoneyMovement m) {
        if (m.getExternalReference() != null) {
            return 0;
        }
        return m.getHoldExpiresInMillis() == null ? 2 : 1;
    }
}
