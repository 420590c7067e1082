package io.ledgerflow.sinks.columns;

import static io.ledgerflow.sinks.columns.ColumnKind.BIGINT;
import static io.ledgerflow.sinks.columns.ColumnKind.NAMED_VALUES;
import static io.ledgerflow.sinks.columns.ColumnKind.TEXT;
import static io.ledgerflow.sinks.columns.Columns.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.sinks.aggregates.AggregateStatements;
import io.ledgerflow.sinks.aggregates.AggregateTables;
import io.ledgerflow.sinks.clickhouse.AnalyticsTables;
import io.ledgerflow.sinks.fraud.FraudAnalyticsTables;
import io.ledgerflow.sinks.fraud.FraudReadModel;
import io.ledgerflow.sinks.postgres.ReadModelStatements;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One column list per record type: how a table picks from it, and that every statement of both
 * stores is built from the lists (the statements themselves run against the real stores in the
 * sinks ITCases).
 */
class ColumnsTest {

    private record Row(String id, long amount, Map<String, Long> counts) {}

    private static final Columns<Row> ROW =
            Columns.of(
                    column("id", TEXT, Row::id),
                    column("amount", BIGINT, Row::amount),
                    column("counts", NAMED_VALUES, Row::counts));

    @Test
    void aTablePicksRenamesAndOrdersColumnsFromTheOneList() {
        assertThat(ROW.names()).isEqualTo("id, amount, counts");
        assertThat(ROW.placeholders(Store.POSTGRES)).isEqualTo("?, ?, CAST(? AS jsonb)");
        assertThat(ROW.placeholders(Store.CLICKHOUSE)).isEqualTo("?, ?, ?");
        assertThat(ROW.only("counts", "id").names()).isEqualTo("counts, id");
        assertThat(ROW.without("amount").renamed("id", "row_id").names())
                .isEqualTo("row_id, counts");
        assertThat(ROW.without("id").fromExcluded())
                .isEqualTo("amount = EXCLUDED.amount, counts = EXCLUDED.counts");
        assertThat(ROW.insertInto("rows", Store.CLICKHOUSE))
                .isEqualTo("INSERT INTO rows (id, amount, counts) VALUES (?, ?, ?)");
    }

    @Test
    void aColumnThatDoesNotExistOrIsNamedTwiceFailsAtOnce() {
        assertThatThrownBy(() -> ROW.only("id", "nope")).hasMessageContaining("no column nope");
        assertThatThrownBy(() -> ROW.without("nope")).hasMessageContaining("no column nope");
        assertThatThrownBy(() -> ROW.renamed("nope", "x")).hasMessageContaining("no column nope");
        assertThatThrownBy(
                        () -> Columns.of(column("id", TEXT, Row::id), column("id", TEXT, Row::id)))
                .hasMessageContaining("column id named twice");
    }

    @Test
    void everyStatementListsItsRecordsColumnsOnce() {
        assertThat(ReadModelStatements.UPSERT_TRANSACTION)
                .startsWith(
                        "INSERT INTO transactions (" + LedgerColumns.TRANSACTION_RESULT.names());
        assertThat(AnalyticsTables.TRANSACTIONS.insertSql())
                .contains("decision_time")
                .doesNotContain("decided_time")
                .doesNotContain("reason_detail");
        assertThat(AnalyticsTables.LEDGER_ENTRIES.insertSql()).doesNotContain("previous_hash");
        assertThat(ReadModelStatements.INSERT_LEDGER_ENTRY)
                .contains("previous_hash, hash, hash_format");
        assertThat(AggregateStatements.UPSERT_WINDOW_AGGREGATE)
                .contains("CAST(? AS jsonb)")
                .contains("version = EXCLUDED.version")
                .doesNotContain("scope = EXCLUDED.scope");
        assertThat(AggregateTables.WINDOW_AGGREGATES.insertSql()).doesNotContain("jsonb");
        assertThat(FraudReadModel.INSERT_ALERT)
                .contains("matches = EXCLUDED.matches")
                .doesNotContain("alert_id = EXCLUDED");
        assertThat(FraudAnalyticsTables.ALERTS.insertSql()).contains("latest_transaction_ids");
        // One marker per column in every insert.
        for (String sql :
                new String[] {
                    ReadModelStatements.UPSERT_ACCOUNT,
                    ReadModelStatements.INSERT_DEAD_LETTER,
                    ReadModelStatements.INSERT_COMMAND_RESULT,
                    FraudReadModel.INSERT_RULE_CHANGE,
                    AggregateStatements.INSERT_LATE_TRANSACTION,
                    AnalyticsTables.ACCOUNT_BALANCES.insertSql()
                }) {
            String columns = sql.substring(sql.indexOf('(') + 1, sql.indexOf(')'));
            long markers = sql.chars().filter(c -> c == '?').count();
            assertThat(markers)
                    .as(sql)
                    .isEqualTo(
                            columns.split(",").length - (columns.contains("durable_time") ? 1 : 0));
        }
    }
}
