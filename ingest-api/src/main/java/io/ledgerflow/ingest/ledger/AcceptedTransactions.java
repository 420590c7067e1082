package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.validation.MovementSubmission;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.collections.Long2LongHashMap;

/**
 * The transactions this API instance accepted recently: the idempotency memory (transaction id per
 * partner, with a fingerprint of the payload) and, where no PostgreSQL read model is configured,
 * the {@link TransactionStatusView}.
 *
 * <p>Bounded twice: entries expire after a TTL, and the oldest go first when {@code maxEntries} is
 * reached. This is a fast path, not the guarantee: it is per instance and does not survive a
 * restart. The ledger job deduplicates by transaction id authoritatively (a repeat is rejected
 * there with {@code DUPLICATE_TRANSACTION}).
 *
 * <p>Concurrent duplicates: the first request {@link #claim claims} the id with a pending entry
 * before anything is produced; a second request with the same id finds that entry and waits for its
 * outcome instead of producing again. A failed write releases the claim so a retry can try again.
 *
 * <p><b>Why accepted ids are kept in primitive arrays.</b> An accepted id is remembered for a day,
 * so every one outlives the young generation. Kept as objects (map node, key, strings, entry: about
 * 250 bytes in seven objects), the 20,000 ids accepted between two young collections at 5,000
 * requests/s were copied by every collection and made its pause 16-40 ms instead of 2 ms, the API's
 * p99; and the old generation they filled was compacted in 400 ms full collections ({@code
 * docs/benchmarks.md}, "Ingest API: an idempotency memory the collector does not copy"). So only
 * pending claims (milliseconds) are objects; an accepted id is a row of longs in a ring of
 * primitive arrays, in acceptance order, found through a primitive hash map (Agrona's {@link
 * Long2LongHashMap}) from its key's hash to its ring position. The collector never looks inside
 * either. About 80 bytes per id.
 *
 * <p>An id is remembered by a 128-bit hash of (partner, id) (SHA-256, truncated), not by its text:
 * two different ids would have to share all 128 bits to be confused, about 10<sup>-27</sup> for a
 * million ids. Two ids that share the first 64 bits (the map's key, about 10<sup>-7</sup> for a
 * million) are told apart by the other 64; the later one is then not remembered, which only costs
 * the fast path for it.
 */
public final class AcceptedTransactions implements TransactionStatusView {

    private record Key(String partnerId, String transactionId) {}

    /**
     * One claimed transaction id: pending (the write is under way, with a future for its outcome)
     * or, once accepted, a view of its remembered row.
     */
    public static final class Entry {
        private final Key key;
        private final long keyHigh;
        private final long keyLow;
        private final long fingerprintHigh;
        private final long fingerprintLow;
        private final MovementType type;
        private final long amountMinor;
        private final String currency;

        /** 0 while pending, then the acceptance time (epoch ms). Written before the future. */
        private volatile long acceptedMillis;

        /** Non-null while pending (and shortly after); released once accepted. */
        private volatile CompletableFuture<Instant> outcome;

        private Entry(Key key, long[] keyHash, MovementSubmission submission) {
            this.key = key;
            this.keyHigh = keyHash[0];
            this.keyLow = keyHash[1];
            ByteBuffer fingerprint = ByteBuffer.wrap(submission.fingerprint());
            this.fingerprintHigh = fingerprint.getLong();
            this.fingerprintLow = fingerprint.getLong();
            this.type = submission.type();
            this.amountMinor = submission.amountMinor();
            this.currency = submission.currency();
            this.outcome = new CompletableFuture<>();
        }

        /** A remembered (accepted) row, read back. */
        private Entry(Key key, Ring ring, int at) {
            this.key = key;
            this.keyHigh = ring.keyHigh[at];
            this.keyLow = ring.keyLow[at];
            this.fingerprintHigh = ring.fingerprintHigh[at];
            this.fingerprintLow = ring.fingerprintLow[at];
            long shape = ring.shape[at];
            this.type = MOVEMENT_TYPES[(int) (shape & 0xFF)];
            this.currency = unpackCurrency(shape >>> 8);
            this.amountMinor = ring.amountMinor[at];
            this.acceptedMillis = ring.acceptedMillis[at];
            this.outcome = null;
        }

        /** Completes with the acceptance time, or exceptionally if the write failed. */
        public CompletableFuture<Instant> accepted() {
            CompletableFuture<Instant> pending = outcome;
            if (pending != null) {
                return pending;
            }
            return CompletableFuture.completedFuture(Instant.ofEpochMilli(acceptedMillis));
        }

        public String transactionId() {
            return key.transactionId();
        }

        boolean samePayload(Entry other) {
            return fingerprintHigh == other.fingerprintHigh
                    && fingerprintLow == other.fingerprintLow;
        }
    }

    /** What a claim found. */
    public sealed interface Claim {
        Entry entry();
    }

    /** The id was free: the caller now owns it and must report the write's outcome. */
    public record Claimed(Entry entry) implements Claim {}

    /** The id was taken with the same payload: answer as that request is (or was) answered. */
    public record Repeated(Entry entry) implements Claim {}

    /** The id was taken with a different payload. */
    public record Conflicting(Entry entry) implements Claim {}

    private static final MovementType[] MOVEMENT_TYPES = MovementType.values();

    /** No id hashes to this ring position (Agrona's "missing value"). */
    private static final long NOWHERE = -1;

    /** Ids per segment below which one segment (one lock) is enough. */
    private static final int IDS_PER_SEGMENT = 16_384;

    private static final int MAX_SEGMENTS = 64;

    private static final int INITIAL_RING = 1_024;

    private final ConcurrentHashMap<Key, Entry> pending = new ConcurrentHashMap<>();
    private final Segment[] segments;
    private final long ttlMillis;
    private final Clock clock;

    public AcceptedTransactions(Duration ttl, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
        // Segments share the bound; with few ids one segment keeps it exact.
        int count =
                Math.min(
                        MAX_SEGMENTS,
                        Integer.highestOneBit(Math.max(1, maxEntries / IDS_PER_SEGMENT)));
        this.segments = new Segment[count];
        int share = (maxEntries + count - 1) / count;
        for (int i = 0; i < count; i++) {
            segments[i] = new Segment(share);
        }
    }

    /** Claims {@code submission}'s transaction id for {@code partnerId}. */
    public Claim claim(String partnerId, MovementSubmission submission) {
        Key key = new Key(partnerId, submission.transactionId());
        Entry fresh = new Entry(key, keyHash(partnerId, submission.transactionId()), submission);
        Segment segment = segmentOf(fresh.keyHigh);
        long now = clock.millis();
        Entry[] existing = new Entry[1];
        // Under the key's map lock, so that an accepted() moving the id from pending to the
        // remembered rows cannot slip between the two lookups.
        pending.compute(
                key,
                (k, current) -> {
                    if (current != null) {
                        existing[0] = current;
                        return current;
                    }
                    Entry remembered = segment.find(k, fresh.keyHigh, fresh.keyLow, now);
                    if (remembered != null) {
                        existing[0] = remembered;
                        return null;
                    }
                    return fresh;
                });
        if (existing[0] == null) {
            return new Claimed(fresh);
        }
        Entry found = existing[0];
        return found.samePayload(fresh) ? new Repeated(found) : new Conflicting(found);
    }

    /** The claimed write was acknowledged. */
    public void accepted(Entry entry) {
        Instant now = clock.instant();
        entry.acceptedMillis = Math.max(1, now.toEpochMilli());
        // Remembered before it leaves the pending map: a claim always finds one of the two.
        segmentOf(entry.keyHigh).remember(entry, entry.acceptedMillis);
        pending.remove(entry.key, entry);
        CompletableFuture<Instant> waiting = entry.outcome;
        waiting.complete(now);
        // Waiters hold their own reference; later readers use acceptedMillis.
        entry.outcome = null;
    }

    /** The claimed write failed: release the id so the client's retry is not a "duplicate". */
    public void failed(Entry entry, Throwable error) {
        pending.remove(entry.key, entry);
        entry.outcome.completeExceptionally(error);
    }

    /** Ids remembered or pending. */
    public int size() {
        int remembered = 0;
        for (Segment segment : segments) {
            remembered += segment.size();
        }
        return remembered + pending.size();
    }

    @Override
    public CompletableFuture<Optional<TransactionStatusRecord>> find(
            String partnerId, String transactionId) {
        long[] hash = keyHash(partnerId, transactionId);
        Entry entry =
                segmentOf(hash[0])
                        .find(new Key(partnerId, transactionId), hash[0], hash[1], clock.millis());
        if (entry == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(
                Optional.of(
                        new TransactionStatusRecord(
                                transactionId,
                                partnerId,
                                entry.type,
                                TransactionStatusRecord.ACCEPTED,
                                null,
                                null,
                                entry.amountMinor,
                                entry.currency,
                                Instant.ofEpochMilli(entry.acceptedMillis),
                                null,
                                null,
                                null)));
    }

    private Segment segmentOf(long keyHigh) {
        // The map hashes the whole key again; the segment takes the top bits.
        return segments[(int) (keyHigh >>> 58) & (segments.length - 1)];
    }

    /**
     * The first 128 bits of SHA-256 over the partner (prefixed with its length, so that no other
     * pair spells the same bytes) and the id.
     */
    static long[] keyHash(String partnerId, String transactionId) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        byte[] partner = partnerId.getBytes(StandardCharsets.UTF_8);
        byte[] id = transactionId.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(0, partner.length).array());
        digest.update(partner);
        digest.update(id);
        ByteBuffer hash = ByteBuffer.wrap(digest.digest());
        return new long[] {hash.getLong(), hash.getLong()};
    }

    /** Type ordinal in the low byte, the currency's three characters above it. */
    private static long shapeOf(Entry entry) {
        String currency = entry.currency;
        if (currency.length() != 3) {
            return NOWHERE;
        }
        long packed = 0;
        for (int i = 0; i < 3; i++) {
            packed = (packed << 16) | currency.charAt(i);
        }
        return (packed << 8) | entry.type.ordinal();
    }

    private static String unpackCurrency(long packed) {
        char[] chars = {
            (char) ((packed >>> 32) & 0xFFFF),
            (char) ((packed >>> 16) & 0xFFFF),
            (char) (packed & 0xFFFF)
        };
        return new String(chars).intern();
    }

    /** One lock's share of the remembered ids: a ring in acceptance order and its index. */
    private final class Segment {
        private final int maxEntries;
        private final Long2LongHashMap index;
        private Ring ring;

        /** Ring positions (ever-increasing): the oldest row and the next free one. */
        private long head;

        private long tail;

        Segment(int maxEntries) {
            this.maxEntries = maxEntries;
            this.index = new Long2LongHashMap(Math.min(maxEntries, INITIAL_RING), 0.65f, NOWHERE);
            this.ring = new Ring(Integer.highestOneBit(Math.min(maxEntries, INITIAL_RING) * 2 - 1));
        }

        synchronized int size() {
            return index.size();
        }

        synchronized Entry find(Key key, long keyHigh, long keyLow, long now) {
            evictExpired(now);
            long position = index.get(keyHigh);
            if (position == NOWHERE) {
                return null;
            }
            int at = ring.slot(position);
            if (ring.keyLow[at] != keyLow || now - ring.acceptedMillis[at] > ttlMillis) {
                return null;
            }
            return new Entry(key, ring, at);
        }

        synchronized void remember(Entry entry, long acceptedMillis) {
            long shape = shapeOf(entry);
            if (shape == NOWHERE) {
                // Not an ISO code (validation lets none through): not remembered, the ledger
                // still deduplicates it.
                return;
            }
            evictExpired(acceptedMillis);
            long previous = index.get(entry.keyHigh);
            if (previous != NOWHERE) {
                int at = ring.slot(previous);
                boolean sameId = ring.keyLow[at] == entry.keyLow;
                if (!sameId && acceptedMillis - ring.acceptedMillis[at] <= ttlMillis) {
                    // Another live id shares the first 64 bits: keep it, forget this one.
                    return;
                }
            }
            if (tail - head == maxEntries) {
                evictOldest();
            }
            if (tail - head == ring.capacity()) {
                ring = ring.grown(head, tail);
            }
            int at = ring.slot(tail);
            ring.keyHigh[at] = entry.keyHigh;
            ring.keyLow[at] = entry.keyLow;
            ring.fingerprintHigh[at] = entry.fingerprintHigh;
            ring.fingerprintLow[at] = entry.fingerprintLow;
            ring.amountMinor[at] = entry.amountMinor;
            ring.acceptedMillis[at] = acceptedMillis;
            ring.shape[at] = shape;
            // A row of the same id (expired, then claimed again) stays in the ring, unindexed.
            index.put(entry.keyHigh, tail);
            tail++;
        }

        private void evictExpired(long now) {
            while (head < tail && now - ring.acceptedMillis[ring.slot(head)] > ttlMillis) {
                evictOldest();
            }
        }

        private void evictOldest() {
            // Only if the index still points here: a newer row of the same key must stay.
            index.remove(ring.keyHigh[ring.slot(head)], head);
            head++;
        }
    }

    /** Parallel primitive arrays, one row per remembered id, indexed by position mod capacity. */
    private static final class Ring {
        final long[] keyHigh;
        final long[] keyLow;
        final long[] fingerprintHigh;
        final long[] fingerprintLow;
        final long[] amountMinor;
        final long[] acceptedMillis;
        final long[] shape;

        Ring(int capacity) {
            keyHigh = new long[capacity];
            keyLow = new long[capacity];
            fingerprintHigh = new long[capacity];
            fingerprintLow = new long[capacity];
            amountMinor = new long[capacity];
            acceptedMillis = new long[capacity];
            shape = new long[capacity];
        }

        int capacity() {
            return keyHigh.length;
        }

        int slot(long position) {
            return (int) (position & (keyHigh.length - 1));
        }

        /** Twice the capacity, rows from {@code head} to {@code tail} at their new slots. */
        Ring grown(long head, long tail) {
            Ring bigger = new Ring(capacity() * 2);
            for (long p = head; p < tail; p++) {
                int from = slot(p);
                int to = bigger.slot(p);
                bigger.keyHigh[to] = keyHigh[from];
                bigger.keyLow[to] = keyLow[from];
                bigger.fingerprintHigh[to] = fingerprintHigh[from];
                bigger.fingerprintLow[to] = fingerprintLow[from];
                bigger.amountMinor[to] = amountMinor[from];
                bigger.acceptedMillis[to] = acceptedMillis[from];
                bigger.shape[to] = shape[from];
            }
            return bigger;
        }
    }
}
