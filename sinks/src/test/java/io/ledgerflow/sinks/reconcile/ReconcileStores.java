package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.sinks.columns.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/** Ledger entries written straight into both stores' tables, as the sinks job writes them. */
final class ReconcileStores {

    private ReconcileStores() {}

    static void insertPostgres(Connection c, List<LedgerEntry> entries) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO ledger_entries (account_id, sequence, transaction_id,"
                                + " partner_id, movement_type, direction, amount_minor, currency,"
                                + " balance_after_minor, counterparty_account_id, reversal,"
                                + " event_time, posted_time, previous_hash, hash, hash_format)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LedgerEntry e : entries) {
                ps.setString(1, e.getAccountId());
                ps.setLong(2, e.getSequence());
                ps.setString(3, e.getTransactionId());
                ps.setString(4, e.getPartnerId());
                ps.setString(5, e.getMovementType().name());
                ps.setString(6, e.getDirection().name());
                ps.setLong(7, e.getAmountMinor());
                ps.setString(8, e.getCurrency());
                ps.setLong(9, e.getBalanceAfterMinor());
                ps.setString(10, e.getCounterpartyAccountId());
                ps.setBoolean(11, e.getReversal());
                ps.setTimestamp(12, Timestamp.from(e.getEventTime()));
                ps.setTimestamp(13, Timestamp.from(e.getPostedTime()));
                ps.setString(14, e.getPreviousHash());
                ps.setString(15, e.getHash());
                ps.setInt(16, e.getHashFormat());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void insertClickHouse(Connection c, List<LedgerEntry> entries) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO ledger_entries (account_id, sequence, transaction_id,"
                                + " partner_id, movement_type, direction, amount_minor, currency,"
                                + " balance_after_minor, counterparty_account_id, reversal,"
                                + " event_time, posted_time, hash)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LedgerEntry e : entries) {
                ps.setString(1, e.getAccountId());
                ps.setLong(2, e.getSequence());
                ps.setString(3, e.getTransactionId());
                ps.setString(4, e.getPartnerId());
                ps.setString(5, e.getMovementType().name());
                ps.setString(6, e.getDirection().name());
                ps.setLong(7, e.getAmountMinor());
                ps.setString(8, e.getCurrency());
                ps.setLong(9, e.getBalanceAfterMinor());
                ps.setString(10, e.getCounterpartyAccountId());
                ps.setBoolean(11, e.getReversal());
                ps.setString(12, Store.clickHouseTime(e.getEventTime()));
                ps.setString(13, Store.clickHouseTime(e.getPostedTime()));
                ps.setString(14, e.getHash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
