package io.ledgerflow.sinks.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The analyst queries kept as files under {@code clickhouse/queries/}, so analysts read and run the
 * same text the tests check. Each reads the deduplicated view of its tables (FINAL or argMax).
 */
public enum AnalystQueries {
    VOLUME_AND_VALUE_PER_MINUTE("volume_and_value_per_minute.sql"),
    REJECTION_RATE_BY_REASON("rejection_rate_by_reason.sql"),
    TOP_ACCOUNTS_BY_OUTFLOW("top_accounts_by_outflow.sql"),
    BALANCES_OVER_TIME("balances_over_time.sql"),
    PARTNER_VOLUME_BY_HOUR("partner_volume_by_hour.sql"),
    PARTNER_REJECTIONS_BY_REASON_PER_DAY("partner_rejections_by_reason_per_day.sql"),
    LATE_TRANSACTIONS_BY_PARTNER("late_transactions_by_partner.sql"),
    ALERTS_BY_RULE("alerts_by_rule.sql"),
    ALERTS_BY_PARTNER("alerts_by_partner.sql"),
    RECONCILIATION_OPEN("reconciliation_open.sql"),
    RECONCILIATION_CLEARED_BY_KIND("reconciliation_cleared_by_kind.sql"),
    STATEMENT_EXCEPTIONS_BY_AGE("statement_exceptions_by_age.sql"),
    SETTLEMENT_BY_PARTNER_PER_DAY("settlement_by_partner_per_day.sql"),
    SETTLEMENT_FEES_BY_MOVEMENT_TYPE("settlement_fees_by_movement_type.sql");

    private final String file;

    AnalystQueries(String file) {
        this.file = file;
    }

    /** The query text, without its comment lines (JDBC sends one statement). */
    public String sql() {
        String path = "clickhouse/queries/" + file;
        try (InputStream in = AnalystQueries.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no " + path + " on the class path");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.strip().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return sql.toString().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
