package io.ledgerflow.sinks.fraud;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.sinks.clickhouse.ClickHouseTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TreeMap;

/**
 * The ClickHouse fraud tables of {@code V3__fraud.sql} (alert windows: {@code
 * V5__fraud_alert_windows.sql}) and how alerts and rule versions fill them. Times are bound as UTC
 * text with milliseconds, like every analytics table.
 */
public final class FraudAnalyticsTables {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private FraudAnalyticsTables() {}

    private static String time(Instant instant) {
        return TIME.format(instant);
    }

    public static final ClickHouseTable<FraudAlert> ALERTS =
            new ClickHouseTable<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public String insertSql() {
                    return "INSERT INTO fraud_alerts (alert_id, rule_id, rule_version, rule_type,"
                            + " mode, severity, score, partner_id, account_id, transaction_id,"
                            + " movement_type, amount_minor, currency, triggering_transaction_ids,"
                            + " explanation, blocked, event_time, detected_time, matches,"
                            + " first_event_time, last_detected_time, latest_transaction_ids)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                            + " ?, ?, ?)";
                }

                @Override
                public void bind(PreparedStatement ps, FraudAlert a) throws SQLException {
                    ps.setString(1, a.getAlertId());
                    ps.setString(2, a.getRuleId());
                    ps.setLong(3, a.getRuleVersion());
                    ps.setString(4, a.getRuleType().name());
                    ps.setString(5, a.getMode().name());
                    ps.setString(6, a.getSeverity().name());
                    ps.setDouble(7, a.getScore());
                    ps.setString(8, a.getPartnerId());
                    ps.setString(9, a.getAccountId());
                    ps.setString(10, a.getTransactionId());
                    ps.setString(11, a.getMovementType().name());
                    ps.setLong(12, a.getAmountMinor());
                    ps.setString(13, a.getCurrency());
                    ps.setObject(14, a.getTriggeringTransactionIds().toArray(String[]::new));
                    ps.setString(15, a.getExplanation());
                    ps.setBoolean(16, a.getBlocked());
                    ps.setString(17, time(a.getEventTime()));
                    ps.setString(18, time(a.getDetectedTime()));
                    ps.setLong(19, a.getMatches());
                    ps.setString(
                            20, a.getFirstEventTime() == null ? null : time(a.getFirstEventTime()));
                    ps.setString(
                            21,
                            a.getLastDetectedTime() == null ? null : time(a.getLastDetectedTime()));
                    ps.setObject(22, a.getLatestTransactionIds().toArray(String[]::new));
                }
            };

    public static final ClickHouseTable<FraudRule> RULE_CHANGES =
            new ClickHouseTable<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public String insertSql() {
                    return "INSERT INTO fraud_rule_changes (rule_id, version, rule_type, mode,"
                            + " enabled, severity, thresholds, changed_by, changed_at,"
                            + " description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                }

                @Override
                public void bind(PreparedStatement ps, FraudRule r) throws SQLException {
                    ps.setString(1, r.getRuleId());
                    ps.setLong(2, r.getVersion());
                    ps.setString(3, r.getRuleType().name());
                    ps.setString(4, r.getMode().name());
                    ps.setBoolean(5, r.getEnabled());
                    ps.setString(6, r.getSeverity().name());
                    ps.setObject(7, new TreeMap<>(r.getThresholds()));
                    ps.setString(8, r.getChangedBy());
                    ps.setString(9, time(r.getChangedAt()));
                    ps.setString(10, r.getDescription());
                }
            };
}
