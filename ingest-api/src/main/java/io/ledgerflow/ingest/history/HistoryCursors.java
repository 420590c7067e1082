package io.ledgerflow.ingest.history;

import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.readmodel.history.EntryPosition;
import io.ledgerflow.readmodel.history.TransactionPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The history routes' pagination cursors: opaque, versioned, tamper-evident and bound to what they
 * were issued for.
 *
 * <p>Layout (then base64url without padding):
 *
 * <pre>
 * byte     version (1)
 * byte     kind: 'T' transaction history, 'E' an account's entries
 * 16 bytes binding: SHA-256 of the caller's partner, the route and every filter, truncated
 * ...      position: 'T' = received time (epoch microseconds, 8 bytes) + transaction id (UTF-8);
 *                    'E' = posted time (epoch microseconds, 8 bytes) + sequence (8 bytes)
 * 16 bytes HMAC-SHA256 over everything before it, truncated to 128 bits
 * </pre>
 *
 * The MAC (key {@code LEDGERFLOW_CURSOR_KEY}) means a client cannot forge a position, so a cursor
 * never becomes a way to query outside the filters it was issued for, and anything altered is
 * refused ({@code INVALID_CURSOR}) rather than silently read. The binding means a cursor reused
 * with other filters, on another route or by another partner is refused too ({@code
 * CURSOR_MISMATCH}), instead of answering a page of a different list. The version byte lets a later
 * layout be told apart; a cursor of an unknown version is invalid (clients start again). Cursors
 * carry no expiry: a keyset position stays meaningful for as long as the rows exist.
 */
public final class HistoryCursors {

    static final byte VERSION = 1;
    private static final byte TRANSACTIONS = 'T';
    private static final byte ENTRIES = 'E';
    private static final int BINDING_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final int HEADER = 2 + BINDING_BYTES;

    /** Far above any cursor issued (a transaction id is at most 64 characters). */
    private static final int MAX_LENGTH = 256;

    private final SecretKeySpec key;

    /**
     * @param key the HMAC key; at least 32 bytes
     */
    public HistoryCursors(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the cursor key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** What a cursor is bound to: caller, route and filters, in a fixed order. */
    public static byte[] binding(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                // Length-prefixed, so that ("ab", "c") and ("a", "bc") bind differently.
                byte[] bytes = (part == null ? "\0" : part).getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                sha.update(bytes);
            }
            return Arrays.copyOf(sha.digest(), BINDING_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public String transactions(byte[] binding, TransactionPosition position) {
        byte[] id = position.transactionId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = header(TRANSACTIONS, binding, 8 + id.length);
        payload.putLong(micros(position.receivedTime())).put(id);
        return seal(payload.array());
    }

    public String entries(byte[] binding, EntryPosition position) {
        ByteBuffer payload = header(ENTRIES, binding, 16);
        payload.putLong(micros(position.postedTime())).putLong(position.sequence());
        return seal(payload.array());
    }

    /**
     * The position a transaction history cursor names.
     *
     * @throws InvalidRequestException {@code INVALID_CURSOR} when it is not one this API issued
     *     (with this key), {@code CURSOR_MISMATCH} when it was issued for another binding
     */
    public TransactionPosition parseTransactions(String cursor, byte[] binding) {
        ByteBuffer position = open(cursor, TRANSACTIONS, binding);
        if (position.remaining() < 9) {
            throw invalid();
        }
        Instant received = instant(position.getLong());
        byte[] id = new byte[position.remaining()];
        position.get(id);
        return new TransactionPosition(received, new String(id, StandardCharsets.UTF_8));
    }

    /** The position an entries cursor names; refused as {@link #parseTransactions}. */
    public EntryPosition parseEntries(String cursor, byte[] binding) {
        ByteBuffer position = open(cursor, ENTRIES, binding);
        if (position.remaining() != 16) {
            throw invalid();
        }
        Instant posted = instant(position.getLong());
        long sequence = position.getLong();
        if (sequence < 1) {
            throw invalid();
        }
        return new EntryPosition(posted, sequence);
    }

    private static ByteBuffer header(byte kind, byte[] binding, int positionBytes) {
        return ByteBuffer.allocate(HEADER + positionBytes).put(VERSION).put(kind).put(binding);
    }

    private String seal(byte[] payload) {
        byte[] sealed = Arrays.copyOf(payload, payload.length + MAC_BYTES);
        System.arraycopy(mac(payload, payload.length), 0, sealed, payload.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    private ByteBuffer open(String cursor, byte kind, byte[] binding) {
        if (cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (sealed.length < HEADER + MAC_BYTES) {
            throw invalid();
        }
        int payloadLength = sealed.length - MAC_BYTES;
        byte[] expected = mac(sealed, payloadLength);
        byte[] given = Arrays.copyOfRange(sealed, payloadLength, sealed.length);
        // Constant-time: how many leading bytes matched must not be measurable.
        if (!MessageDigest.isEqual(expected, given) || sealed[0] != VERSION || sealed[1] != kind) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(Arrays.copyOfRange(sealed, 2, HEADER), binding)) {
            throw new InvalidRequestException(
                    ErrorCode.CURSOR_MISMATCH,
                    "cursor",
                    "this cursor was issued for other filters (or another route or partner);"
                            + " repeat the filters of the first page, or start again without it");
        }
        return ByteBuffer.wrap(sealed, HEADER, payloadLength - HEADER);
    }

    private byte[] mac(byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(bytes, 0, length);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException(
                ErrorCode.INVALID_CURSOR,
                "cursor",
                "cursor is not one this API handed out, or it was altered; start again without"
                        + " it");
    }
}
