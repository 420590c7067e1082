package io.ledgerflow.sinks.fraud;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where fraud alerts and rule changes go: the read model (PostgreSQL) and analytics (ClickHouse).
 *
 * @param readModelAlerts {@code fraud_alerts} in PostgreSQL
 * @param readModelRuleChanges {@code fraud_rule_changes} in PostgreSQL
 * @param analyticsAlerts {@code fraud_alerts} in ClickHouse
 * @param analyticsRuleChanges {@code fraud_rule_changes} in ClickHouse
 */
public record FraudSinks(
        Sink<FraudAlert> readModelAlerts,
        Sink<FraudRule> readModelRuleChanges,
        Sink<FraudAlert> analyticsAlerts,
        Sink<FraudRule> analyticsRuleChanges) {

    /**
     * Wires the decoded alerts and rule versions to the four sinks. Alerts are keyed by alert id on
     * the way to PostgreSQL so one id always goes through one writer (no two batches contend for a
     * row).
     */
    public void wire(DataStream<FraudAlert> alerts, DataStream<FraudRule> ruleChanges) {
        alerts.keyBy(FraudAlert::getAlertId, Types.STRING)
                .sinkTo(readModelAlerts)
                .uid("read-model-fraud-alerts")
                .name("Read model: fraud alerts");
        ruleChanges
                .sinkTo(readModelRuleChanges)
                .uid("read-model-fraud-rule-changes")
                .name("Read model: fraud rule changes");
        alerts.sinkTo(analyticsAlerts)
                .uid("analytics-fraud-alerts")
                .name("Analytics: fraud alerts");
        ruleChanges
                .sinkTo(analyticsRuleChanges)
                .uid("analytics-fraud-rule-changes")
                .name("Analytics: fraud rule changes");
    }
}
