package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.validation.MovementSubmission;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The transactions this API instance accepted recently: the idempotency memory (transaction id per
 * partner, with a fingerprint of the payload) and, until the PostgreSQL read model exists, the
 * {@link TransactionStatusView}.
 *
 * <p>Bounded twice: entries expire after a TTL, and the oldest go first when {@code maxEntries} is
 * reached (about 250 bytes each). This is a fast path, not the guarantee: it is per instance and
 * does not survive a restart. The ledger job deduplicates by transaction id authoritatively (a
 * repeat is rejected there with {@code DUPLICATE_TRANSACTION}).
 *
 * <p>Concurrent duplicates: the first request {@link #claim claims} the id with a pending entry
 * before anything is produced; a second request with the same id finds that entry and waits for its
 * outcome instead of producing again. A failed write releases the claim so a retry can try again.
 */
public final class AcceptedTransactions implements TransactionStatusView {

    private record Key(String partnerId, String transactionId) {}

    /**
     * One claimed transaction id, kept small (about 250 bytes with map and queue nodes): a 128-bit
     * fingerprint instead of the payload, and the outcome future only while the write is pending.
     */
    public static final class Entry {
        private final Key key;
        private final long fingerprintHigh;
        private final long fingerprintLow;
        private final MovementType type;
        private final long amountMinor;
        private final String currency;
        private final long claimedMillis;

        /** 0 while pending, then the acceptance time (epoch ms). Written before the future. */
        private volatile long acceptedMillis;

        /** Non-null while pending (and shortly after); released once accepted. */
        private volatile CompletableFuture<Instant> outcome = new CompletableFuture<>();

        private Entry(Key key, MovementSubmission submission, long claimedMillis) {
            this.key = key;
            ByteBuffer fingerprint = ByteBuffer.wrap(submission.fingerprint());
            this.fingerprintHigh = fingerprint.getLong();
            this.fingerprintLow = fingerprint.getLong();
            this.type = submission.type();
            this.amountMinor = submission.amountMinor();
            this.currency = submission.currency().intern();
            this.claimedMillis = claimedMillis;
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

        boolean isAccepted() {
            return acceptedMillis != 0;
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

    private final ConcurrentHashMap<Key, Entry> entries;
    private final ReentrantLock evicting = new ReentrantLock();
    private final Queue<Entry> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    public AcceptedTransactions(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        // Sized up front: rehashing a million-entry table under load stalls the event loops.
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1 << 21));
    }

    /** Claims {@code submission}'s transaction id for {@code partnerId}. */
    public Claim claim(String partnerId, MovementSubmission submission) {
        Key key = new Key(partnerId, submission.transactionId());
        long now = clock.millis();
        Entry fresh = new Entry(key, submission, now);
        Entry[] existing = new Entry[1];
        boolean[] replacedExpired = new boolean[1];
        entries.compute(
                key,
                (k, current) -> {
                    if (current == null) {
                        return fresh;
                    }
                    if (isExpired(current, now)) {
                        replacedExpired[0] = true;
                        return fresh;
                    }
                    existing[0] = current;
                    return current;
                });
        if (existing[0] == null) {
            order.add(fresh);
            if (!replacedExpired[0]) {
                size.incrementAndGet();
            }
            evict(now);
            return new Claimed(fresh);
        }
        Entry found = existing[0];
        return found.samePayload(fresh) ? new Repeated(found) : new Conflicting(found);
    }

    /** The claimed write was acknowledged. */
    public void accepted(Entry entry) {
        Instant now = clock.instant();
        entry.acceptedMillis = Math.max(1, now.toEpochMilli());
        CompletableFuture<Instant> pending = entry.outcome;
        pending.complete(now);
        // Waiters hold their own reference; later readers use acceptedMillis.
        entry.outcome = null;
    }

    /** The claimed write failed: release the id so the client's retry is not a "duplicate". */
    public void failed(Entry entry, Throwable error) {
        if (entries.remove(entry.key, entry)) {
            size.decrementAndGet();
        }
        entry.outcome.completeExceptionally(error);
    }

    private boolean isExpired(Entry entry, long now) {
        // A pending entry never expires: its outcome is at most seconds away.
        return entry.isAccepted() && now - entry.claimedMillis > ttl.toMillis();
    }

    private void evict(long now) {
        // One evicting thread at a time (the others skip: the next insert evicts again), so the
        // entry peeked at the head is the one polled, and the queue is never searched.
        if (!evicting.tryLock()) {
            return;
        }
        try {
            while (true) {
                Entry oldest = order.peek();
                if (oldest == null) {
                    return;
                }
                boolean tooMany = size.get() > maxEntries;
                boolean expired = now - oldest.claimedMillis > ttl.toMillis();
                boolean gone = entries.get(oldest.key) != oldest;
                if (!tooMany && !expired && !gone) {
                    return;
                }
                order.poll();
                if (!gone && entries.remove(oldest.key, oldest)) {
                    size.decrementAndGet();
                }
            }
        } finally {
            evicting.unlock();
        }
    }

    public int size() {
        return size.get();
    }

    @Override
    public CompletableFuture<Optional<TransactionStatusRecord>> find(
            String partnerId, String transactionId) {
        Entry entry = entries.get(new Key(partnerId, transactionId));
        if (entry == null || !entry.isAccepted() || isExpired(entry, clock.millis())) {
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
}
