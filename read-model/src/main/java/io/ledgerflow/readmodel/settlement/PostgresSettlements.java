package io.ledgerflow.readmodel.settlement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fee schedules, settlement settings and batches in the read model (tables of {@code
 * V11__settlement.sql}). Every method takes the connection it runs on; the caller owns
 * transactions.
 */
public final class PostgresSettlements {

    private PostgresSettlements() {}

    // ---- Fee schedules and settings -------------------------------------------------------

    /** Every version of the partner's fee schedule, oldest first. */
    public static List<FeeSchedule> feeSchedules(Connection c, String partnerId)
            throws SQLException {
        Map<Integer, Instant> versions = new LinkedHashMap<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT version, effective_from FROM fee_schedules WHERE partner_id = ?"
                                + " ORDER BY version")) {
            s.setString(1, partnerId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    versions.put(r.getInt(1), r.getTimestamp(2).toInstant());
                }
            }
        }
        Map<Integer, List<FeeRule>> rules = new LinkedHashMap<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT version, movement_type, currency, percent_bp, fixed_minor,"
                                + " min_minor, max_minor FROM fee_rules WHERE partner_id = ?"
                                + " ORDER BY version, movement_type, currency")) {
            s.setString(1, partnerId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rules.computeIfAbsent(r.getInt(1), v -> new ArrayList<>())
                            .add(
                                    new FeeRule(
                                            r.getString(2),
                                            r.getString(3),
                                            r.getInt(4),
                                            r.getLong(5),
                                            (Long) r.getObject(6),
                                            (Long) r.getObject(7)));
                }
            }
        }
        List<FeeSchedule> out = new ArrayList<>();
        versions.forEach(
                (v, from) ->
                        out.add(
                                new FeeSchedule(
                                        partnerId, v, from, rules.getOrDefault(v, List.of()))));
        return out;
    }

    /**
     * Adds the next version of the partner's fee schedule (version = latest + 1) and returns it.
     * Fails with a unique violation when another version already takes effect at the same time.
     */
    public static FeeSchedule addFeeSchedule(
            Connection c, String partnerId, Instant effectiveFrom, List<FeeRule> rules, String by)
            throws SQLException {
        int version;
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT COALESCE(MAX(version), 0) + 1 FROM fee_schedules"
                                + " WHERE partner_id = ?")) {
            s.setString(1, partnerId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                version = r.getInt(1);
            }
        }
        FeeSchedule schedule = new FeeSchedule(partnerId, version, effectiveFrom, rules);
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO fee_schedules (partner_id, version, effective_from,"
                                + " created_at, created_by) VALUES (?, ?, ?, now(), ?)")) {
            s.setString(1, partnerId);
            s.setInt(2, version);
            s.setTimestamp(3, Timestamp.from(effectiveFrom));
            s.setString(4, by);
            s.executeUpdate();
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO fee_rules (partner_id, version, movement_type, currency,"
                                + " percent_bp, fixed_minor, min_minor, max_minor)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (FeeRule r : schedule.rules()) {
                s.setString(1, partnerId);
                s.setInt(2, version);
                s.setString(3, r.movementType());
                s.setString(4, r.currency());
                s.setInt(5, r.percentBp());
                s.setLong(6, r.fixedMinor());
                setLong(s, 7, r.minMinor());
                setLong(s, 8, r.maxMinor());
                s.addBatch();
            }
            s.executeBatch();
        }
        return schedule;
    }

    /** The partner's settlement calendar; {@link SettlementCalendar#DAILY_UTC} when none is set. */
    public static SettlementCalendar calendar(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT cutoff_time, time_zone, period_hours FROM settlement_settings"
                                + " WHERE partner_id = ?")) {
            s.setString(1, partnerId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return SettlementCalendar.DAILY_UTC;
                }
                return new SettlementCalendar(
                        r.getObject(1, LocalTime.class), ZoneId.of(r.getString(2)), r.getInt(3));
            }
        }
    }

    /** Sets (or replaces) the partner's settlement calendar. */
    public static void setCalendar(
            Connection c, String partnerId, SettlementCalendar calendar, String by)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO settlement_settings (partner_id, cutoff_time, time_zone,"
                                + " period_hours, updated_at, updated_by)"
                                + " VALUES (?, ?, ?, ?, now(), ?) ON CONFLICT (partner_id) DO"
                                + " UPDATE SET cutoff_time = EXCLUDED.cutoff_time, time_zone ="
                                + " EXCLUDED.time_zone, period_hours = EXCLUDED.period_hours,"
                                + " updated_at = EXCLUDED.updated_at, updated_by ="
                                + " EXCLUDED.updated_by")) {
            s.setString(1, partnerId);
            s.setObject(2, calendar.cutoff());
            s.setString(3, calendar.zone().getId());
            s.setInt(4, calendar.periodHours());
            s.setString(5, by);
            s.executeUpdate();
        }
    }

    // ---- What to settle -------------------------------------------------------------------

    /** Every partner's settlement account per currency (see {@link SettlementAccount}). */
    public static List<SettlementAccount> settlementAccounts(Connection c) throws SQLException {
        List<SettlementAccount> out = new ArrayList<>();
        try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT partner_id, currency, MIN(account_id) FROM accounts"
                                        + " WHERE account_type = 'SETTLEMENT' AND status <>"
                                        + " 'CLOSED' GROUP BY partner_id, currency ORDER BY 1, 2");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new SettlementAccount(r.getString(1), r.getString(2), r.getString(3)));
            }
        }
        return out;
    }

    private static final String UNSETTLED =
            " FROM ledger_entries e WHERE e.account_id = ? AND e.event_time < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM settlement_batch_entries b"
                    + "   WHERE b.account_id = e.account_id AND b.sequence = e.sequence)"
                    + " AND NOT EXISTS (SELECT 1 FROM settlement_movements m"
                    + "   WHERE m.partner_id = e.partner_id AND m.transaction_id ="
                    + " e.transaction_id)";

    /** The earliest event time of the account's unsettled postings before {@code before}. */
    public static Optional<Instant> earliestUnsettled(
            Connection c, String accountId, Instant before) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MIN(e.event_time)" + UNSETTLED)) {
            s.setString(1, accountId);
            s.setTimestamp(2, Timestamp.from(before));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                Timestamp t = r.getTimestamp(1);
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        }
    }

    /**
     * The account's postings with an event time before {@code before} that no batch covers yet,
     * leaving out the settlement's own movements.
     */
    public static List<SettledPosting> unsettled(Connection c, String accountId, Instant before)
            throws SQLException {
        List<SettledPosting> out = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT e.account_id, e.sequence, e.transaction_id, e.movement_type,"
                                + " e.direction, e.amount_minor, e.reversal, e.event_time,"
                                + " e.posted_time, e.hash"
                                + UNSETTLED
                                + " ORDER BY e.sequence")) {
            s.setString(1, accountId);
            s.setTimestamp(2, Timestamp.from(before));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(
                            new SettledPosting(
                                    r.getString(1),
                                    r.getLong(2),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    r.getLong(6),
                                    r.getBoolean(7),
                                    r.getTimestamp(8).toInstant(),
                                    r.getTimestamp(9).toInstant(),
                                    r.getString(10)));
                }
            }
        }
        return out;
    }

    /** The period end and carried amount of the partner's latest batch in a currency. */
    public record LatestBatch(Instant periodEnd, long carriedOutMinor) {}

    public static Optional<LatestBatch> latest(Connection c, String partnerId, String currency)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT period_end, carried_out_minor FROM settlement_batches WHERE"
                                + " partner_id = ? AND currency = ? ORDER BY period_start DESC"
                                + " LIMIT 1")) {
            s.setString(1, partnerId);
            s.setString(2, currency);
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? Optional.of(new LatestBatch(r.getTimestamp(1).toInstant(), r.getLong(2)))
                        : Optional.empty();
            }
        }
    }

    // ---- Writing a batch ------------------------------------------------------------------

    /**
     * Writes the batch, its lines, its entries and its movements, or nothing when a batch with its
     * id exists (a re-run): returns whether it wrote. Runs in the caller's transaction; the caller
     * commits. An entry another batch already covers fails the write (primary key of {@code
     * settlement_batch_entries}): no posting is ever settled twice.
     */
    public static boolean insert(
            Connection c, SettlementBatch b, List<SettlementMovement> movements)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO settlement_batches (batch_id, partner_id, currency,"
                                + " settlement_account_id, period_start, period_end, closed_at,"
                                + " entry_count, first_sequence, last_sequence, adjustment_count,"
                                + " credits_minor, debits_minor, refund_count, refunds_minor,"
                                + " fees_minor, carried_in_minor, net_payable_minor, payout_minor,"
                                + " carried_out_minor, fee_transaction_id, revenue_transaction_id,"
                                + " payout_transaction_id, hash_format, content_hash) VALUES (?, ?,"
                                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                + " ?) ON CONFLICT DO NOTHING")) {
            int i = 1;
            s.setString(i++, b.batchId());
            s.setString(i++, b.partnerId());
            s.setString(i++, b.currency());
            s.setString(i++, b.settlementAccountId());
            s.setTimestamp(i++, Timestamp.from(b.period().start()));
            s.setTimestamp(i++, Timestamp.from(b.period().end()));
            s.setTimestamp(i++, Timestamp.from(b.closedAt()));
            s.setInt(i++, b.entries().size());
            setLong(s, i++, b.firstSequence());
            setLong(s, i++, b.lastSequence());
            s.setInt(i++, b.adjustmentCount());
            s.setLong(i++, b.creditsMinor());
            s.setLong(i++, b.debitsMinor());
            s.setInt(i++, b.refundCount());
            s.setLong(i++, b.refundsMinor());
            s.setLong(i++, b.feesMinor());
            s.setLong(i++, b.carriedInMinor());
            s.setLong(i++, b.netPayableMinor());
            s.setLong(i++, b.payoutMinor());
            s.setLong(i++, b.carriedOutMinor());
            s.setString(i++, b.feeTransactionId());
            s.setString(i++, b.revenueTransactionId());
            s.setString(i++, b.payoutTransactionId());
            s.setInt(i++, SettlementBatch.HASH_FORMAT);
            s.setString(i, b.contentHash());
            if (s.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO settlement_batch_lines (batch_id, direction, movement_type,"
                                + " adjustment, entry_count, gross_minor, fees_minor)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (BatchLine l : b.lines()) {
                s.setString(1, b.batchId());
                s.setString(2, l.direction());
                s.setString(3, l.movementType());
                s.setBoolean(4, l.adjustment());
                s.setInt(5, l.entryCount());
                s.setLong(6, l.grossMinor());
                s.setLong(7, l.feesMinor());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO settlement_batch_entries (account_id, sequence, batch_id,"
                                + " transaction_id, movement_type, direction, amount_minor,"
                                + " fee_minor, fee_version, event_time, posted_time, entry_hash,"
                                + " adjustment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (BatchEntry e : b.entries()) {
                SettledPosting p = e.posting();
                s.setString(1, p.accountId());
                s.setLong(2, p.sequence());
                s.setString(3, b.batchId());
                s.setString(4, p.transactionId());
                s.setString(5, p.movementType());
                s.setString(6, p.direction());
                s.setLong(7, p.amountMinor());
                s.setLong(8, e.feeMinor());
                if (e.feeVersion() == null) {
                    s.setNull(9, Types.INTEGER);
                } else {
                    s.setInt(9, e.feeVersion());
                }
                s.setTimestamp(10, Timestamp.from(p.eventTime()));
                s.setTimestamp(11, Timestamp.from(p.postedTime()));
                s.setString(12, p.entryHash());
                s.setBoolean(13, e.adjustment());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO settlement_movements (partner_id, transaction_id, batch_id,"
                                + " role, movement_type, account_id, amount_minor, currency)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SettlementMovement m : movements) {
                s.setString(1, m.partnerId());
                s.setString(2, m.transactionId());
                s.setString(3, m.batchId());
                s.setString(4, m.role());
                s.setString(5, m.movementType());
                s.setString(6, m.accountId());
                s.setLong(7, m.amountMinor());
                s.setString(8, m.currency());
                s.addBatch();
            }
            s.executeBatch();
        }
        return true;
    }

    /**
     * The settlement movements the read model has no ledger decision for yet (never submitted, or
     * submitted and not yet decided): what a run submits, again if need be; the ledger's gate drops
     * an id it already saw.
     */
    public static List<SettlementMovement> undecidedMovements(Connection c) throws SQLException {
        List<SettlementMovement> out = new ArrayList<>();
        try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT m.batch_id, m.role, m.movement_type, m.partner_id,"
                                        + " m.transaction_id, m.account_id, m.amount_minor, m.currency"
                                        + " FROM settlement_movements m WHERE NOT EXISTS (SELECT 1"
                                        + " FROM transactions t WHERE t.partner_id = m.partner_id AND"
                                        + " t.transaction_id = m.transaction_id) ORDER BY m.batch_id,"
                                        + " m.role");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(
                        new SettlementMovement(
                                r.getString(1),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getString(5),
                                r.getString(6),
                                r.getLong(7),
                                r.getString(8)));
            }
        }
        return out;
    }

    // ---- Reading batches back ---------------------------------------------------------------

    /** Every batch's partner and id: {@code [partnerId, batchId]} pairs, oldest period first. */
    public static List<String[]> allBatchIds(Connection c) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT partner_id, batch_id FROM settlement_batches"
                                        + " ORDER BY period_start, partner_id, currency");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new String[] {r.getString(1), r.getString(2)});
            }
        }
        return out;
    }

    /** The partner's batches, newest period first, at most {@code limit}. */
    public static List<StoredBatch> batches(Connection c, String partnerId, int limit)
            throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT batch_id FROM settlement_batches WHERE partner_id = ?"
                                + " ORDER BY period_start DESC, currency LIMIT ?")) {
            s.setString(1, partnerId);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        List<StoredBatch> out = new ArrayList<>();
        for (String id : ids) {
            stored(c, partnerId, id).ifPresent(out::add);
        }
        return out;
    }

    /**
     * A stored batch with its lines and entries, as it was computed; empty if not the partner's.
     */
    public static Optional<StoredBatch> stored(Connection c, String partnerId, String batchId)
            throws SQLException {
        return batch(c, partnerId, batchId).map(b -> new StoredBatch(b, storedHash(c, batchId)));
    }

    /**
     * A batch as stored, and the hash stored with it (compare with {@code batch.contentHash()}).
     */
    public record StoredBatch(SettlementBatch batch, String storedHash) {}

    private static String storedHash(Connection c, String batchId) {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT content_hash FROM settlement_batches WHERE batch_id = ?")) {
            s.setString(1, batchId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Optional<SettlementBatch> batch(Connection c, String partnerId, String batchId)
            throws SQLException {
        SettlementBatch head;
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT currency, settlement_account_id, period_start, period_end,"
                                + " closed_at, credits_minor, debits_minor, refund_count,"
                                + " refunds_minor, fees_minor, carried_in_minor,"
                                + " net_payable_minor, payout_minor, carried_out_minor"
                                + " FROM settlement_batches WHERE partner_id = ? AND batch_id = ?")) {
            s.setString(1, partnerId);
            s.setString(2, batchId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                head =
                        new SettlementBatch(
                                batchId,
                                partnerId,
                                r.getString(1),
                                r.getString(2),
                                new SettlementPeriod(
                                        r.getTimestamp(3).toInstant(),
                                        r.getTimestamp(4).toInstant()),
                                r.getTimestamp(5).toInstant(),
                                List.of(),
                                List.of(),
                                r.getLong(6),
                                r.getLong(7),
                                r.getInt(8),
                                r.getLong(9),
                                r.getLong(10),
                                r.getLong(11),
                                r.getLong(12),
                                r.getLong(13),
                                r.getLong(14));
            }
        }
        List<BatchLine> lines = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT direction, movement_type, adjustment, entry_count, gross_minor,"
                                + " fees_minor FROM settlement_batch_lines WHERE batch_id = ?"
                                + " ORDER BY direction COLLATE \"C\", movement_type COLLATE \"C\", adjustment")) {
            s.setString(1, batchId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add(
                            new BatchLine(
                                    r.getString(1),
                                    r.getString(2),
                                    r.getBoolean(3),
                                    r.getInt(4),
                                    r.getLong(5),
                                    r.getLong(6)));
                }
            }
        }
        List<BatchEntry> entries = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT account_id, sequence, transaction_id, movement_type, direction,"
                                + " amount_minor, fee_minor, fee_version, event_time,"
                                + " posted_time, entry_hash, adjustment"
                                + " FROM settlement_batch_entries WHERE batch_id = ?"
                                + " ORDER BY sequence")) {
            s.setString(1, batchId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    SettledPosting p =
                            new SettledPosting(
                                    r.getString(1),
                                    r.getLong(2),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    r.getLong(6),
                                    false,
                                    r.getTimestamp(9).toInstant(),
                                    r.getTimestamp(10).toInstant(),
                                    r.getString(11));
                    entries.add(
                            new BatchEntry(
                                    p, r.getLong(7), (Integer) r.getObject(8), r.getBoolean(12)));
                }
            }
        }
        return Optional.of(
                new SettlementBatch(
                        head.batchId(),
                        head.partnerId(),
                        head.currency(),
                        head.settlementAccountId(),
                        head.period(),
                        head.closedAt(),
                        lines,
                        entries,
                        head.creditsMinor(),
                        head.debitsMinor(),
                        head.refundCount(),
                        head.refundsMinor(),
                        head.feesMinor(),
                        head.carriedInMinor(),
                        head.netPayableMinor(),
                        head.payoutMinor(),
                        head.carriedOutMinor()));
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v);
        }
    }
}
