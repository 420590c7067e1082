package io.ledgerflow.sinks.fraud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.TreeMap;

/**
 * The fraud tables of the PostgreSQL read model ({@code V3__fraud.sql}, {@code
 * V6__fraud_alert_windows.sql}): idempotent writes and how records bind to them. A rule version
 * never changes once published, so its first write is the only one; an alert is revised while its
 * window grows, and the revision with the most matches wins. A replay is a no-op either way.
 */
public final class FraudReadModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FraudReadModel() {}

    /**
     * An alert window's first publication inserts its row; a revision (same id, more matches)
     * replaces the figures of the latest match; a replayed or older revision changes nothing.
     */
    public static final String INSERT_ALERT =
            """
            INSERT INTO fraud_alerts (alert_id, rule_id, rule_version, rule_type, mode, severity,
                score, partner_id, account_id, transaction_id, movement_type, amount_minor,
                currency, triggering_transaction_ids, explanation, blocked, event_time,
                detected_time, matches, first_event_time, last_detected_time,
                latest_transaction_ids)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (alert_id) DO UPDATE SET
                rule_version = EXCLUDED.rule_version,
                mode = EXCLUDED.mode,
                severity = EXCLUDED.severity,
                score = EXCLUDED.score,
                transaction_id = EXCLUDED.transaction_id,
                movement_type = EXCLUDED.movement_type,
                amount_minor = EXCLUDED.amount_minor,
                currency = EXCLUDED.currency,
                triggering_transaction_ids = EXCLUDED.triggering_transaction_ids,
                explanation = EXCLUDED.explanation,
                blocked = EXCLUDED.blocked,
                event_time = EXCLUDED.event_time,
                matches = EXCLUDED.matches,
                first_event_time = EXCLUDED.first_event_time,
                last_detected_time = EXCLUDED.last_detected_time,
                latest_transaction_ids = EXCLUDED.latest_transaction_ids,
                durable_time = now()
            WHERE fraud_alerts.matches < EXCLUDED.matches
            """;

    public static final String INSERT_RULE_CHANGE =
            """
            INSERT INTO fraud_rule_changes (rule_id, version, rule_type, mode, enabled, severity,
                thresholds, changed_by, changed_at, description)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
            ON CONFLICT (rule_id, version) DO NOTHING
            """;

    public static void bindAlert(PreparedStatement ps, FraudAlert a) throws SQLException {
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
        ps.setArray(
                14,
                ps.getConnection()
                        .createArrayOf("text", a.getTriggeringTransactionIds().toArray()));
        ps.setString(15, a.getExplanation());
        ps.setBoolean(16, a.getBlocked());
        ps.setObject(17, utc(a.getEventTime()));
        ps.setObject(18, utc(a.getDetectedTime()));
        ps.setLong(19, a.getMatches());
        ps.setObject(20, a.getFirstEventTime() == null ? null : utc(a.getFirstEventTime()));
        ps.setObject(21, a.getLastDetectedTime() == null ? null : utc(a.getLastDetectedTime()));
        ps.setArray(
                22,
                ps.getConnection().createArrayOf("text", a.getLatestTransactionIds().toArray()));
    }

    public static void bindRuleChange(PreparedStatement ps, FraudRule r) throws SQLException {
        ps.setString(1, r.getRuleId());
        ps.setLong(2, r.getVersion());
        ps.setString(3, r.getRuleType().name());
        ps.setString(4, r.getMode().name());
        ps.setBoolean(5, r.getEnabled());
        ps.setString(6, r.getSeverity().name());
        ps.setString(7, thresholdsJson(r));
        ps.setString(8, r.getChangedBy());
        ps.setObject(9, utc(r.getChangedAt()));
        ps.setString(10, r.getDescription());
    }

    /** The thresholds as a JSON object, keys sorted (the same text for the same thresholds). */
    static String thresholdsJson(FraudRule r) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(r.getThresholds()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("string map always serializes", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
