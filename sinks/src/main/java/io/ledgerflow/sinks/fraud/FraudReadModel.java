package io.ledgerflow.sinks.fraud;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.sinks.columns.Columns;
import io.ledgerflow.sinks.columns.Store;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The fraud tables of the PostgreSQL read model ({@code V3__fraud.sql}, {@code
 * V6__fraud_alert_windows.sql}): idempotent writes and how records bind to them. A rule version
 * never changes once published, so its first write is the only one; an alert is revised while its
 * window grows, and the revision with the most matches wins. A replay is a no-op either way.
 */
public final class FraudReadModel {

    private FraudReadModel() {}

    private static final Columns<FraudAlert> ALERTS = FraudColumns.ALERT;
    private static final Columns<FraudRule> RULE_CHANGES = FraudColumns.RULE_CHANGE;

    /**
     * An alert window's first publication inserts its row; a revision (same id, more matches)
     * replaces the figures of the latest match; a replayed or older revision changes nothing.
     */
    public static final String INSERT_ALERT =
            """
            INSERT INTO fraud_alerts (%s)
            VALUES (%s)
            ON CONFLICT (alert_id) DO UPDATE SET %s, durable_time = now()
            WHERE fraud_alerts.matches < EXCLUDED.matches
            """
                    .formatted(
                            ALERTS.names(),
                            ALERTS.placeholders(Store.POSTGRES),
                            ALERTS.without(
                                            "alert_id",
                                            "rule_id",
                                            "rule_type",
                                            "partner_id",
                                            "account_id",
                                            "detected_time",
                                            "first_event_time")
                                    .fromExcluded());

    public static final String INSERT_RULE_CHANGE =
            RULE_CHANGES.insertInto("fraud_rule_changes", Store.POSTGRES)
                    + " ON CONFLICT (rule_id, version) DO NOTHING";

    public static void bindAlert(PreparedStatement ps, FraudAlert a) throws SQLException {
        ALERTS.bind(ps, a, Store.POSTGRES);
    }

    public static void bindRuleChange(PreparedStatement ps, FraudRule r) throws SQLException {
        RULE_CHANGES.bind(ps, r, Store.POSTGRES);
    }
}
