package io.ledgerflow.sinks.fraud;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.sinks.clickhouse.ClickHouseTable;

/**
 * The ClickHouse fraud tables of {@code V3__fraud.sql} (alert windows: {@code
 * V5__fraud_alert_windows.sql}) and the columns that fill them ({@link FraudColumns}).
 */
public final class FraudAnalyticsTables {

    private FraudAnalyticsTables() {}

    public static final ClickHouseTable<FraudAlert> ALERTS =
            ClickHouseTable.of("fraud_alerts", FraudColumns.ALERT);

    public static final ClickHouseTable<FraudRule> RULE_CHANGES =
            ClickHouseTable.of("fraud_rule_changes", FraudColumns.RULE_CHANGE);
}
