package io.ledgerflow.testdata.check;

import io.ledgerflow.testdata.check.CheckResult.Finding;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies a finished run end to end from the stores the platform writes:
 *
 * <ul>
 *   <li>every transaction the platform accepted has a terminal status in PostgreSQL, and the run's
 *       rows there are exactly the accepted ones (nothing missing, nothing unexpected);
 *   <li>ClickHouse holds the same transactions with the same statuses;
 *   <li>money is conserved: balances over all accounts (the system accounts take the other side of
 *       deposits and withdrawals) sum to zero per currency, in PostgreSQL and in ClickHouse's
 *       latest balances; every account's balance equals the net of its ledger entries; the entries
 *       of each currency net to zero and are the same in both stores;
 *   <li>every accepted account opening has a decision.
 * </ul>
 *
 * Conservation is checked over the whole ledger, not only this run's accounts: money can only be
 * conserved globally, and a check that passes for a slice could hide a leak into another.
 */
public final class Checker {

    /**
     * An entry's signed amount. PostgreSQL sums bigint into numeric, exactly; ClickHouse sums Int64
     * into Int64 and wraps silently, so there each amount is widened first ({@link #CH_SIGNED}): a
     * system account's entries can net beyond 64 bits (issue 12).
     */
    private static final String SIGNED =
            "CASE WHEN direction = 'CREDIT' THEN amount_minor ELSE -amount_minor END";

    private static final String CH_SIGNED = "toDecimal128(" + SIGNED + ", 0)";

    private final StoreConnections stores;

    public Checker(StoreConnections stores) {
        this.stores = stores;
    }

    /**
     * Checks repeatedly until PASS or {@code timeout}, and returns the last result: right after a
     * run, results and sink writes are still arriving (a transfer is debited before it is
     * credited), so a single early look would fail for no fault.
     */
    public CheckResult awaitPass(RunRecord run, Duration timeout, Duration interval)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CheckResult result = check(run);
        while (!result.passed() && System.nanoTime() < deadline) {
            Thread.sleep(interval.toMillis());
            result = check(run);
        }
        return result;
    }

    /**
     * One look at the stores. A store that cannot be read is a failed finding, not an exception.
     */
    public CheckResult check(RunRecord run) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Long> pgStatuses = new TreeMap<>();
        Map<String, BigInteger> pgEntries = new TreeMap<>();
        try (Connection pg = stores.postgres()) {
            findings.addAll(postgresTransactions(pg, run, pgStatuses));
            findings.add(postgresConservation(pg));
            findings.add(postgresBalancesMatchEntries(pg));
            findings.add(postgresEntriesNetToZero(pg, pgEntries));
            findings.add(openingsDecided(pg, run));
        } catch (SQLException e) {
            findings.add(new Finding("PostgreSQL readable", false, e.toString()));
        }
        try (Connection ch = stores.clickHouse()) {
            findings.add(clickHouseTransactions(ch, run, pgStatuses));
            findings.add(clickHouseConservation(ch));
            findings.add(clickHouseEntriesMatch(ch, pgEntries));
        } catch (SQLException e) {
            findings.add(new Finding("ClickHouse readable", false, e.toString()));
        }
        return new CheckResult(run.runId(), findings);
    }

    private List<Finding> postgresTransactions(
            Connection pg, RunRecord run, Map<String, Long> statuses) throws SQLException {
        TransactionIdSet accepted = run.accepted();
        TransactionIdSet found = new TransactionIdSet(run.runId());
        Examples notTerminal = new Examples();
        Examples unexpected = new Examples();
        long rows = 0;
        try (PreparedStatement s =
                pg.prepareStatement(
                        "SELECT transaction_id, status, status_rank, reason FROM transactions"
                                + " WHERE starts_with(transaction_id, ?)")) {
            s.setString(1, run.runId() + "-");
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    rows++;
                    found.add(id);
                    statuses.merge(statusKey(r.getString(2), r.getString(4)), 1L, Long::sum);
                    if (r.getInt(3) == 0) {
                        notTerminal.add(id + " (" + r.getString(2) + ")");
                    }
                    if (!accepted.contains(id)) {
                        unexpected.add(id);
                    }
                }
            }
        }
        Examples missing = new Examples();
        accepted.forEach(
                id -> {
                    if (!found.contains(id)) {
                        missing.add(id);
                    }
                });
        Finding terminal =
                new Finding(
                        "every accepted transaction has a terminal status in PostgreSQL",
                        missing.isEmpty() && notTerminal.isEmpty(),
                        String.format(
                                "%d accepted, %d terminal; statuses %s; missing %s; not terminal"
                                        + " %s",
                                accepted.size(),
                                rows - notTerminal.count(),
                                statuses,
                                missing,
                                notTerminal));
        Finding counts =
                new Finding(
                        "PostgreSQL holds exactly the run's accepted transactions",
                        rows == accepted.size() && unexpected.isEmpty() && missing.isEmpty(),
                        String.format(
                                "sent %s; accepted %d, refused %d %s; rows in PostgreSQL %d;"
                                        + " rows never accepted %s",
                                run.sentByKind(),
                                accepted.size(),
                                run.refusedByType().values().stream()
                                        .mapToLong(Long::longValue)
                                        .sum(),
                                run.refusedByType(),
                                rows,
                                unexpected));
        return List.of(terminal, counts);
    }

    private Finding postgresConservation(Connection pg) throws SQLException {
        Map<String, BigInteger> sums =
                sumsByKey(
                        pg, "SELECT currency, sum(balance_minor) FROM accounts GROUP BY currency");
        return new Finding(
                "money is conserved: PostgreSQL balances sum to zero per currency",
                sums.values().stream().allMatch(v -> v.signum() == 0),
                "sum of balance_minor over all accounts by currency " + sums);
    }

    private Finding postgresBalancesMatchEntries(Connection pg) throws SQLException {
        Examples offenders = new Examples();
        long accounts = 0;
        try (PreparedStatement s =
                        pg.prepareStatement(
                                "SELECT a.account_id, a.balance_minor, coalesce(e.net, 0)"
                                        + " FROM accounts a LEFT JOIN (SELECT account_id, sum("
                                        + SIGNED
                                        + ") AS net FROM ledger_entries GROUP BY account_id) e"
                                        + " ON e.account_id = a.account_id"
                                        + " ORDER BY a.account_id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                accounts++;
                // numeric(38,0) balances and numeric sums: a system account may be beyond 64 bits.
                BigInteger balance = r.getBigDecimal(2).toBigIntegerExact();
                BigInteger net = r.getBigDecimal(3).toBigIntegerExact();
                if (!balance.equals(net)) {
                    offenders.add(
                            String.format(
                                    "%s: balance_minor %d but its entries net %d (difference %+d)",
                                    r.getString(1), balance, net, balance.subtract(net)));
                }
            }
        }
        return new Finding(
                "every PostgreSQL balance equals the net of its ledger entries",
                offenders.isEmpty(),
                String.format("%d accounts, %s differ", accounts, offenders));
    }

    private Finding postgresEntriesNetToZero(Connection pg, Map<String, BigInteger> entries)
            throws SQLException {
        Map<String, BigInteger> net = new TreeMap<>();
        try (PreparedStatement s =
                        pg.prepareStatement(
                                "SELECT currency, count(*), sum("
                                        + SIGNED
                                        + ") FROM ledger_entries GROUP BY currency");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                BigInteger sum = r.getBigDecimal(3).toBigIntegerExact();
                entries.put(r.getString(1).trim() + " count", BigInteger.valueOf(r.getLong(2)));
                entries.put(r.getString(1).trim() + " net", sum);
                net.put(r.getString(1).trim(), sum);
            }
        }
        return new Finding(
                "double entry: PostgreSQL ledger entries net to zero per currency",
                net.values().stream().allMatch(v -> v.signum() == 0),
                "credits minus debits by currency " + net);
    }

    private Finding openingsDecided(Connection pg, RunRecord run) throws SQLException {
        long decided;
        try (PreparedStatement s =
                pg.prepareStatement(
                        "SELECT count(DISTINCT account_id) FROM account_command_results"
                                + " WHERE type = 'OPEN' AND starts_with(account_id, ?)")) {
            s.setString(1, run.namespace() + "-");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                decided = r.getLong(1);
            }
        }
        return new Finding(
                "every accepted account opening has a decision in PostgreSQL",
                decided >= run.accountsOpened(),
                String.format(
                        "%d openings accepted, %d accounts of namespace %s with an OPEN decision",
                        run.accountsOpened(), decided, run.namespace()));
    }

    private Finding clickHouseTransactions(
            Connection ch, RunRecord run, Map<String, Long> pgStatuses) throws SQLException {
        Map<String, Long> statuses = new TreeMap<>();
        try (PreparedStatement s =
                ch.prepareStatement(
                        "SELECT status, reason, count() FROM transactions FINAL"
                                + " WHERE startsWith(transaction_id, ?) GROUP BY status, reason")) {
            s.setString(1, run.runId() + "-");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    statuses.merge(
                            statusKey(r.getString(1), r.getString(2)), r.getLong(3), Long::sum);
                }
            }
        }
        long total = statuses.values().stream().mapToLong(Long::longValue).sum();
        return new Finding(
                "ClickHouse holds the accepted transactions with PostgreSQL's statuses",
                total == run.acceptedCount() && statuses.equals(pgStatuses),
                String.format(
                        "%d accepted; ClickHouse %d %s; PostgreSQL %s",
                        run.acceptedCount(), total, statuses, pgStatuses));
    }

    private Finding clickHouseConservation(Connection ch) throws SQLException {
        // balance_minor is Decimal(38, 0): its sum is Decimal too, exact.
        Map<String, BigInteger> sums =
                sumsByKey(
                        ch,
                        "SELECT currency, sum(balance) FROM (SELECT account_id,"
                                + " argMax(currency, version) AS currency,"
                                + " argMax(balance_minor, version) AS balance"
                                + " FROM account_balances GROUP BY account_id)"
                                + " GROUP BY currency");
        return new Finding(
                "money is conserved: ClickHouse latest balances sum to zero per currency",
                sums.values().stream().allMatch(v -> v.signum() == 0),
                "sum of each account's latest balance_minor by currency " + sums);
    }

    private Finding clickHouseEntriesMatch(Connection ch, Map<String, BigInteger> pgEntries)
            throws SQLException {
        Map<String, BigInteger> entries = new TreeMap<>();
        try (PreparedStatement s =
                        ch.prepareStatement(
                                "SELECT currency, count(), sum("
                                        + CH_SIGNED
                                        + ") FROM ledger_entries FINAL GROUP BY currency");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                entries.put(r.getString(1) + " count", BigInteger.valueOf(r.getLong(2)));
                entries.put(r.getString(1) + " net", r.getBigDecimal(3).toBigIntegerExact());
            }
        }
        return new Finding(
                "ClickHouse ledger entries equal PostgreSQL's (count and net per currency)",
                entries.equals(pgEntries),
                "ClickHouse " + entries + "; PostgreSQL " + pgEntries);
    }

    /** Exact sums by key: the stores' balance sums are numeric / Decimal, beyond 64 bits. */
    private static Map<String, BigInteger> sumsByKey(Connection c, String sql) throws SQLException {
        Map<String, BigInteger> sums = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                sums.put(r.getString(1).trim(), r.getBigDecimal(2).toBigIntegerExact());
            }
        }
        return sums;
    }

    /**
     * A status with its reason, {@code REJECTED/INSUFFICIENT_FUNDS}: the evidence then says why
     * transactions ended as they did, and the stores must agree on reasons too. PostgreSQL stores
     * "no reason" as NULL, ClickHouse as the empty string.
     */
    static String statusKey(String status, String reason) {
        return reason == null || reason.isEmpty() ? status : status + "/" + reason;
    }
}
