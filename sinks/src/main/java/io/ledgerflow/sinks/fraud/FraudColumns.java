package io.ledgerflow.sinks.fraud;

import static io.ledgerflow.sinks.columns.ColumnKind.BIGINT;
import static io.ledgerflow.sinks.columns.ColumnKind.BOOLEAN;
import static io.ledgerflow.sinks.columns.ColumnKind.DOUBLE;
import static io.ledgerflow.sinks.columns.ColumnKind.NAMED_VALUES;
import static io.ledgerflow.sinks.columns.ColumnKind.TEXT;
import static io.ledgerflow.sinks.columns.ColumnKind.TEXT_ARRAY;
import static io.ledgerflow.sinks.columns.ColumnKind.TIME;
import static io.ledgerflow.sinks.columns.Columns.column;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.sinks.columns.Columns;

/**
 * The columns of fraud alerts and rule versions, for the read model ({@link FraudReadModel}) and
 * the analytics tables ({@link FraudAnalyticsTables}) alike.
 */
public final class FraudColumns {

    private FraudColumns() {}

    public static final Columns<FraudAlert> ALERT =
            Columns.of(
                    column("alert_id", TEXT, FraudAlert::getAlertId),
                    column("rule_id", TEXT, FraudAlert::getRuleId),
                    column("rule_version", BIGINT, FraudAlert::getRuleVersion),
                    column("rule_type", TEXT, a -> a.getRuleType().name()),
                    column("mode", TEXT, a -> a.getMode().name()),
                    column("severity", TEXT, a -> a.getSeverity().name()),
                    column("score", DOUBLE, FraudAlert::getScore),
                    column("partner_id", TEXT, FraudAlert::getPartnerId),
                    column("account_id", TEXT, FraudAlert::getAccountId),
                    column("transaction_id", TEXT, FraudAlert::getTransactionId),
                    column("movement_type", TEXT, a -> a.getMovementType().name()),
                    column("amount_minor", BIGINT, FraudAlert::getAmountMinor),
                    column("currency", TEXT, FraudAlert::getCurrency),
                    column(
                            "triggering_transaction_ids",
                            TEXT_ARRAY,
                            FraudAlert::getTriggeringTransactionIds),
                    column("explanation", TEXT, FraudAlert::getExplanation),
                    column("blocked", BOOLEAN, FraudAlert::getBlocked),
                    column("event_time", TIME, FraudAlert::getEventTime),
                    column("detected_time", TIME, FraudAlert::getDetectedTime),
                    column("matches", BIGINT, FraudAlert::getMatches),
                    column("first_event_time", TIME, FraudAlert::getFirstEventTime),
                    column("last_detected_time", TIME, FraudAlert::getLastDetectedTime),
                    column(
                            "latest_transaction_ids",
                            TEXT_ARRAY,
                            FraudAlert::getLatestTransactionIds));

    public static final Columns<FraudRule> RULE_CHANGE =
            Columns.of(
                    column("rule_id", TEXT, FraudRule::getRuleId),
                    column("version", BIGINT, FraudRule::getVersion),
                    column("rule_type", TEXT, r -> r.getRuleType().name()),
                    column("mode", TEXT, r -> r.getMode().name()),
                    column("enabled", BOOLEAN, FraudRule::getEnabled),
                    column("severity", TEXT, r -> r.getSeverity().name()),
                    column("thresholds", NAMED_VALUES, FraudRule::getThresholds),
                    column("changed_by", TEXT, FraudRule::getChangedBy),
                    column("changed_at", TIME, FraudRule::getChangedAt),
                    column("description", TEXT, FraudRule::getDescription));
}
