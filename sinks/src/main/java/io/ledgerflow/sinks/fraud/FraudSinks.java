package io.ledgerflow.sinks.fraud;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
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
     * Sends alerts and rule versions to the four sinks. The read model's alerts come keyed by alert
     * id ({@code SinksJob.defineWorkflow}), so one id always goes through one writer (no two
     * batches contend for a row).
     */
    public void wire(
            DataStream<FraudAlert> readModelAlertsKeyed,
            DataStream<FraudRule> readModelRules,
            DataStream<FraudAlert> analyticsAlertsStream,
            DataStream<FraudRule> analyticsRules) {
        readModelAlertsKeyed
                .sinkTo(readModelAlerts)
                .uid("read-model-fraud-alerts")
                .name("Read model: fraud alerts");
        readModelRules
                .sinkTo(readModelRuleChanges)
                .uid("read-model-fraud-rule-changes")
                .name("Read model: fraud rule changes");
        analyticsAlertsStream
                .sinkTo(analyticsAlerts)
                .uid("analytics-fraud-alerts")
                .name("Analytics: fraud alerts");
        analyticsRules
                .sinkTo(analyticsRuleChanges)
                .uid("analytics-fraud-rule-changes")
                .name("Analytics: fraud rule changes");
    }
}
