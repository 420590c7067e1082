package io.ledgerflow.jobs.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.schemas.Topics;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a ledger run committed to Kafka, read once the job has caught up, and the checks every
 * MiniCluster test makes of it.
 */
public final class LedgerOutcome {

    public final List<TransactionResult> results;
    public final List<LedgerEntry> entries;
    public final List<AccountState> accountStates;
    public final List<DeadLetter> deadLetters;

    private LedgerOutcome(
            List<TransactionResult> results,
            List<LedgerEntry> entries,
            List<AccountState> accountStates,
            List<DeadLetter> deadLetters) {
        this.results = results;
        this.entries = entries;
        this.accountStates = accountStates;
        this.deadLetters = deadLetters;
    }

    /**
     * Waits until every transaction of {@code workload} has a terminal result, then until no new
     * ledger entries arrive for a few checkpoints (the instruction loop is drained).
     */
    public static LedgerOutcome await(
            LedgerKafka kafka, LedgerWorkload workload, Duration timeout) {
        return await(kafka, workload.transactionIds, timeout);
    }

    /** As {@link #await(LedgerKafka, LedgerWorkload, Duration)}, for some transactions only. */
    public static LedgerOutcome await(
            LedgerKafka kafka, Set<String> transactionIds, Duration timeout) {
        try (var results = kafka.reader(Topics.TRANSACTION_RESULTS, TransactionResult.class);
                var entries = kafka.reader(Topics.LEDGER_ENTRIES, LedgerEntry.class);
                var states = kafka.reader(Topics.ACCOUNT_STATES, AccountState.class);
                var dead = kafka.reader(Topics.DEAD_LETTERS, DeadLetter.class)) {
            results.readUntil(rs -> terminalIds(rs).containsAll(transactionIds), timeout);
            int seen = -1;
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()
                    && System.nanoTime() < deadline) {
                int now = entries.readUntil(e -> false, Duration.ofSeconds(1)).size();
                if (now != seen) {
                    seen = now;
                    quietSince = System.nanoTime();
                }
            }
            results.readToEnd();
            states.readToEnd();
            dead.readToEnd();
            return new LedgerOutcome(
                    results.records(), entries.records(), states.records(), dead.records());
        }
    }

    private static Set<String> terminalIds(List<TransactionResult> results) {
        Set<String> ids = new HashSet<>();
        for (TransactionResult r : results) {
            if (r.getStatus() != TransactionStatus.HELD) {
                ids.add(r.getTransactionId());
            }
        }
        return ids;
    }

    /** Every invariant of DISCUSSION.md, over what was committed. */
    public void assertInvariants(LedgerWorkload workload) {
        Map<String, BigInteger> balances = LedgerInvariants.assertLedgerConsistentExact(entries);
        LedgerInvariants.assertExactlyOneTerminalResult(results, workload.transactionIds);

        // No account below its overdraft limit, at any posting. A limit may change over a run
        // (SET_OVERDRAFT_LIMIT), so the limit in force at a posting is the one in the account
        // state that posting produced: the first version with its sequence (later versions with
        // the same sequence are commands and holds after it).
        Map<String, AccountState> statePerPosting = new HashMap<>();
        for (AccountState s : accountStates) {
            statePerPosting.merge(
                    s.getAccountId() + "#" + s.getLastSequence(),
                    s,
                    (a, b) -> a.getVersion() <= b.getVersion() ? a : b);
        }
        for (LedgerEntry e : entries) {
            AccountState posted = statePerPosting.get(e.getAccountId() + "#" + e.getSequence());
            Long limit =
                    posted != null && workload.overdraftLimits.containsKey(e.getAccountId())
                            ? Long.valueOf(posted.getOverdraftLimitMinor())
                            : workload.overdraftLimits.get(e.getAccountId());
            if (limit != null) {
                assertThat(e.getBalanceAfterMinor())
                        .as("balance of %s after #%d", e.getAccountId(), e.getSequence())
                        .isGreaterThanOrEqualTo(-limit);
            } else {
                assertThat(e.getAccountId())
                        .as("only system accounts are unlisted")
                        .startsWith("SYSTEM-");
            }
        }

        // Each leg of each transaction posted once.
        Map<String, Long> legs =
                entries.stream()
                        .collect(
                                Collectors.groupingBy(
                                        e ->
                                                e.getTransactionId()
                                                        + "/"
                                                        + e.getAccountId()
                                                        + "/"
                                                        + e.getDirection()
                                                        + "/"
                                                        + e.getReversal(),
                                        Collectors.counting()));
        assertThat(legs.values()).as("postings per transaction leg").allMatch(n -> n == 1);

        // The latest account state agrees with the ledger; versions never repeat.
        Map<String, AccountState> latest = new HashMap<>();
        Map<String, Set<Long>> versions = new HashMap<>();
        for (AccountState s : accountStates) {
            assertThat(
                            versions.computeIfAbsent(s.getAccountId(), k -> new HashSet<>())
                                    .add(s.getVersion()))
                    .as("version %d of %s emitted once", s.getVersion(), s.getAccountId())
                    .isTrue();
            latest.merge(s.getAccountId(), s, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
        }
        for (Map.Entry<String, BigInteger> balance : balances.entrySet()) {
            AccountState state = latest.get(balance.getKey());
            assertThat(state).as("state of %s", balance.getKey()).isNotNull();
            assertThat(LedgerInvariants.exact(state.getWideBalance(), state.getBalanceMinor()))
                    .as("balance of %s", balance.getKey())
                    .isEqualTo(balance.getValue());
            assertThat(state.getBalanceMinor())
                    .as("64-bit balance of %s", balance.getKey())
                    .isEqualTo(LedgerInvariants.saturated(balance.getValue()));
            if (state.getAccountType() != AccountType.SYSTEM) {
                // Wide: available + limit can pass Long.MAX_VALUE for a full account.
                assertThat(
                                BigInteger.valueOf(state.getAvailableMinor())
                                        .add(BigInteger.valueOf(state.getOverdraftLimitMinor())))
                        .as("available + overdraft limit of %s", balance.getKey())
                        .isNotNegative();
            }
        }

        // Conflicting reuse of an id is a dead letter, never a second result.
        Set<String> conflicts =
                deadLetters.stream()
                        .filter(d -> d.getReason().equals(ReasonCode.DUPLICATE_TRANSACTION.name()))
                        .map(d -> StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString())
                        .collect(Collectors.toSet());
        assertThat(conflicts).containsExactlyInAnyOrderElementsOf(workload.conflictingIds);
    }

    /** The run exercised the ledger's paths, not just the happy one. */
    public void assertCoverage() {
        Set<TransactionStatus> statuses =
                results.stream().map(TransactionResult::getStatus).collect(Collectors.toSet());
        assertThat(statuses).contains(TransactionStatus.values());
        Set<ReasonCode> reasons =
                results.stream()
                        .map(TransactionResult::getReason)
                        .filter(r -> r != null)
                        .collect(Collectors.toSet());
        assertThat(reasons)
                .contains(
                        ReasonCode.ACCOUNT_NOT_FOUND,
                        ReasonCode.CURRENCY_MISMATCH,
                        ReasonCode.INVALID_AMOUNT,
                        ReasonCode.SAME_ACCOUNT,
                        ReasonCode.HOLD_EXPIRED,
                        ReasonCode.INVALID_STATE);
        long completed =
                results.stream().filter(r -> r.getStatus() == TransactionStatus.COMPLETED).count();
        Map<Object, Long> histogram =
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.getReason() == null ? r.getStatus() : r.getReason(),
                                        Collectors.counting()));
        assertThat(completed)
                .as("completed transactions; all outcomes: %s", histogram)
                .isGreaterThan(results.size() / 3);
    }
}
