package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.ingest.validation.AccountOpening;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Accounts opened through this API instance: who owns which account id (account ids are global,
 * since the Kafka key is the account id alone) and the last command accepted for it.
 *
 * <p>Like {@link AcceptedTransactions} this is per instance, bounded (oldest out first) and lost on
 * restart; the ledger job keeps the authoritative account state and refuses commands and movements
 * on accounts of other partners with {@code ACCOUNT_NOT_FOUND}, as if they did not exist. Here it
 * gives fast 404s for other partners' accounts the API knows about, and makes a repeated open
 * idempotent.
 */
public final class AcceptedAccounts implements AccountView {

    /** One opened (or being opened) account. */
    public static final class Entry {
        private final String partnerId;
        private final AccountOpening opening;
        private final String openCommandId;
        private final CompletableFuture<Instant> opened = new CompletableFuture<>();
        private volatile String requestedStatus = "OPEN";
        private volatile String lastCommandId;
        private volatile Instant updatedAt;

        private Entry(String partnerId, AccountOpening opening, String openCommandId) {
            this.partnerId = partnerId;
            this.opening = opening;
            this.openCommandId = openCommandId;
            this.lastCommandId = openCommandId;
        }

        public String partnerId() {
            return partnerId;
        }

        public AccountOpening opening() {
            return opening;
        }

        public String openCommandId() {
            return openCommandId;
        }

        public CompletableFuture<Instant> opened() {
            return opened;
        }
    }

    /** What an open claim found. */
    public sealed interface Claim {
        Entry entry();
    }

    /** New account id: the caller publishes the OPEN and reports the outcome. */
    public record Claimed(Entry entry) implements Claim {}

    /** Same partner, same payload: answer as the first open is answered. */
    public record Repeated(Entry entry) implements Claim {}

    /** Taken by another partner, or by this partner with different attributes. */
    public record Taken(Entry entry) implements Claim {}

    private final ConcurrentHashMap<String, Entry> accounts = new ConcurrentHashMap<>();
    private final Queue<String> order = new ConcurrentLinkedQueue<>();
    private final int maxEntries;
    private final Clock clock;

    public AcceptedAccounts(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public Claim claimOpen(String partnerId, AccountOpening opening, String commandId) {
        Entry fresh = new Entry(partnerId, opening, commandId);
        Entry existing = accounts.putIfAbsent(opening.accountId(), fresh);
        if (existing == null) {
            order.add(opening.accountId());
            while (accounts.size() > maxEntries) {
                String oldest = order.poll();
                if (oldest == null) {
                    break;
                }
                accounts.remove(oldest);
            }
            return new Claimed(fresh);
        }
        return existing.partnerId.equals(partnerId) && existing.opening.samePayload(opening)
                ? new Repeated(existing)
                : new Taken(existing);
    }

    public void opened(Entry entry) {
        entry.updatedAt = clock.instant();
        entry.opened.complete(entry.updatedAt);
    }

    public void openFailed(Entry entry, Throwable error) {
        accounts.remove(entry.opening.accountId(), entry);
        entry.opened.completeExceptionally(error);
    }

    /** Owner of an account this instance knows, if any. */
    public Optional<String> ownerOf(String accountId) {
        Entry entry = accounts.get(accountId);
        return entry == null ? Optional.empty() : Optional.of(entry.partnerId);
    }

    /**
     * Records an accepted FREEZE, UNFREEZE, CLOSE or SET_OVERDRAFT_LIMIT on a known account. The
     * limit shown stays the one the ledger decided (read model); a request may still be refused.
     */
    public void commandAccepted(String accountId, AccountCommandType type, String commandId) {
        Entry entry = accounts.get(accountId);
        if (entry == null) {
            return;
        }
        entry.requestedStatus =
                switch (type) {
                    case OPEN, UNFREEZE -> "OPEN";
                    case FREEZE -> "FROZEN";
                    case CLOSE -> "CLOSED";
                    case SET_OVERDRAFT_LIMIT -> entry.requestedStatus;
                };
        entry.lastCommandId = commandId;
        entry.updatedAt = clock.instant();
    }

    @Override
    public CompletableFuture<Optional<AccountRecord>> find(String accountId) {
        Entry entry = accounts.get(accountId);
        if (entry == null || !entry.opened.isDone() || entry.opened.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        AccountOpening o = entry.opening;
        return CompletableFuture.completedFuture(
                Optional.of(
                        new AccountRecord(
                                o.accountId(),
                                entry.partnerId,
                                o.currency(),
                                o.type(),
                                o.overdraftLimitMinor(),
                                entry.requestedStatus,
                                entry.lastCommandId,
                                entry.updatedAt,
                                null)));
    }
}
