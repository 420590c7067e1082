package io.ledgerflow.jobs.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ledger's invariants, checked over its outputs: what every test of the ledger (harness,
 * MiniCluster, failure and restore) asserts at the end.
 */
public final class LedgerInvariants {

    private LedgerInvariants() {}

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * As {@link #assertLedgerConsistentExact}, with each final balance as the ledger's long fields
     * carry it: exact within the 64-bit range, saturated at Long.MIN_VALUE or Long.MAX_VALUE beyond
     * (only system accounts get there).
     */
    public static Map<String, Long> assertLedgerConsistent(Collection<LedgerEntry> entries) {
        Map<String, Long> balances = new HashMap<>();
        assertLedgerConsistentExact(entries)
                .forEach((account, balance) -> balances.put(account, saturated(balance)));
        return balances;
    }

    /**
     * Per account: sequences 1..n without gaps or repeats, each hash valid and chained to the
     * previous entry, each balance-after consistent with the postings. Over all accounts (system
     * accounts included): debits equal credits, so the balances sum to zero. Returns the exact
     * final balance per account. Sums are BigInteger: a system account (the outside world) may go
     * beyond 64 bits, and then its entries carry the exact balance in {@code wideBalanceAfter} next
     * to a saturated {@code balanceAfterMinor} (issue 12), which this checks too.
     */
    public static Map<String, BigInteger> assertLedgerConsistentExact(
            Collection<LedgerEntry> entries) {
        Map<String, List<LedgerEntry>> byAccount = new HashMap<>();
        for (LedgerEntry e : entries) {
            byAccount.computeIfAbsent(e.getAccountId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, BigInteger> balances = new HashMap<>();
        BigInteger total = BigInteger.ZERO;
        for (Map.Entry<String, List<LedgerEntry>> account : byAccount.entrySet()) {
            List<LedgerEntry> chain = account.getValue();
            chain.sort(Comparator.comparingLong(LedgerEntry::getSequence));
            String previousHash = LedgerEntryHash.GENESIS;
            BigInteger balance = BigInteger.ZERO;
            for (int i = 0; i < chain.size(); i++) {
                LedgerEntry e = chain.get(i);
                assertThat(e.getSequence())
                        .as("sequence of entry %d on %s", i, account.getKey())
                        .isEqualTo(i + 1L);
                assertThat(e.getPreviousHash())
                        .as("chain link of %s #%d", account.getKey(), e.getSequence())
                        .isEqualTo(previousHash);
                assertThat(LedgerEntryHash.isValid(e))
                        .as("hash of %s #%d", account.getKey(), e.getSequence())
                        .isTrue();
                assertThat(e.getAmountMinor()).isPositive();
                BigInteger amount = BigInteger.valueOf(e.getAmountMinor());
                balance =
                        e.getDirection() == EntryDirection.CREDIT
                                ? balance.add(amount)
                                : balance.subtract(amount);
                assertThat(exact(e.getWideBalanceAfter(), e.getBalanceAfterMinor()))
                        .as("balance after %s #%d", account.getKey(), e.getSequence())
                        .isEqualTo(balance);
                assertThat(e.getBalanceAfterMinor())
                        .as("64-bit balance after %s #%d", account.getKey(), e.getSequence())
                        .isEqualTo(saturated(balance));
                previousHash = e.getHash();
            }
            balances.put(account.getKey(), balance);
            total = total.add(balance);
        }
        assertThat(total).as("sum of all balances, system accounts included").isZero();
        return balances;
    }

    /**
     * The exact value of a balance the ledger sent as a long and an optional wide decimal: the wide
     * one if present, and then it must lie outside the 64-bit range (else the long is exact).
     */
    public static BigInteger exact(BigDecimal wide, long minor) {
        if (wide == null) {
            return BigInteger.valueOf(minor);
        }
        BigInteger value = wide.toBigIntegerExact();
        assertThat(value.bitLength())
                .as("a wide balance %s lies beyond 64 bits", value)
                .isGreaterThan(63);
        return value;
    }

    /** A balance as the ledger's long fields carry it: saturated outside the 64-bit range. */
    public static long saturated(BigInteger balance) {
        return balance.max(LONG_MIN).min(LONG_MAX).longValueExact();
    }

    /**
     * Every transaction id in {@code expectedIds} has exactly one terminal result, and nothing else
     * has one. A HOLD may also have one HELD result before its terminal one.
     */
    public static void assertExactlyOneTerminalResult(
            Collection<TransactionResult> results, Set<String> expectedIds) {
        Map<String, Integer> terminal = new HashMap<>();
        Map<String, Integer> held = new HashMap<>();
        for (TransactionResult r : results) {
            if (r.getStatus() == TransactionStatus.HELD) {
                held.merge(r.getTransactionId(), 1, Integer::sum);
            } else {
                terminal.merge(r.getTransactionId(), 1, Integer::sum);
            }
        }
        assertThat(held.values()).as("HELD results per hold").allMatch(n -> n == 1);
        List<String> missing = new ArrayList<>();
        List<String> repeated = new ArrayList<>();
        for (String id : expectedIds) {
            int n = terminal.getOrDefault(id, 0);
            if (n == 0) {
                missing.add(id);
            } else if (n > 1) {
                repeated.add(id);
            }
        }
        assertThat(missing).as("transactions without a terminal result").isEmpty();
        assertThat(repeated).as("transactions with more than one terminal result").isEmpty();
        assertThat(expectedIds).as("results only for submitted ids").containsAll(terminal.keySet());
    }
}
