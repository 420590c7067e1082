package io.ledgerflow.sinks.columns;

import static io.ledgerflow.sinks.columns.ColumnKind.BIGINT;
import static io.ledgerflow.sinks.columns.ColumnKind.NAMED_VALUES;
import static io.ledgerflow.sinks.columns.ColumnKind.TEXT;
import static io.ledgerflow.sinks.columns.Columns.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.sinks.aggregates.AggregateStatements;
import io.ledgerflow.sinks.aggregates.AggregateTables;
import io.ledgerflow.sinks.clickhouse.AnalyticsTables;
import io.ledgerflow.sinks.fraud.FraudAnalyticsTables;
import io.ledgerflow.sinks.fraud.FraudReadModel;
import io.ledgerflow.sinks.postgres.ReadModelStatements;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
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

    private static final Map<String, String> METADATA = new LinkedHashMap<>();

    static {
        // Not in key order, and with characters both stores must quote.
        METADATA.put("orderId", "o-1");
        METADATA.put("channel", "web");
        METADATA.put("note", "it's \"fine\" \\ \u00e9");
    }

    private static TransactionResult result(Map<String, String> metadata, String reference) {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        return TransactionResult.newBuilder()
                .setTransactionId("t-1")
                .setPartnerId("p-1")
                .setType(MovementType.TRANSFER)
                .setStatus(TransactionStatus.COMPLETED)
                .setSourceAccountId("a")
                .setDestinationAccountId("b")
                .setAmountMinor(100)
                .setCurrency("EUR")
                .setEventTime(t)
                .setReceivedTime(t)
                .setDecisionTime(t)
                .setMetadata(metadata)
                .setExternalReference(reference)
                .build();
    }

    private static LedgerEntry entry(Map<String, String> metadata, String reference) {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        return LedgerEntry.newBuilder()
                .setAccountId("a")
                .setSequence(1)
                .setTransactionId("t-1")
                .setPartnerId("p-1")
                .setMovementType(MovementType.TRANSFER)
                .setDirection(EntryDirection.DEBIT)
                .setAmountMinor(100)
                .setCurrency("EUR")
                .setBalanceAfterMinor(-100)
                .setCounterpartyAccountId("b")
                .setEventTime(t)
                .setPostedTime(t)
                .setPreviousHash("0".repeat(64))
                .setHash("1".repeat(64))
                .setMetadata(metadata)
                .setExternalReference(reference)
                .build();
    }

    @Test
    void resultsAndEntriesMapTheirAnnotationsToBothStores() {
        for (Columns<?> columns :
                new Columns<?>[] {LedgerColumns.TRANSACTION_RESULT, LedgerColumns.LEDGER_ENTRY}) {
            assertThat(columns.names()).endsWith("metadata, external_reference");
            assertThat(columns.placeholders(Store.POSTGRES)).endsWith("?, CAST(? AS jsonb), ?");
        }
        assertThat(AnalyticsTables.TRANSACTIONS.insertSql())
                .contains("metadata, external_reference");
        assertThat(AnalyticsTables.LEDGER_ENTRIES.insertSql())
                .contains("metadata, external_reference");
        assertThat(ReadModelStatements.INSERT_LEDGER_ENTRY)
                .contains("metadata, external_reference");
        // Written on insert only: a later status of the transaction (a hold's CAPTURED) keeps the
        // annotations of its first write.
        String onConflict =
                ReadModelStatements.UPSERT_TRANSACTION.substring(
                        ReadModelStatements.UPSERT_TRANSACTION.indexOf("ON CONFLICT"));
        assertThat(onConflict).doesNotContain("metadata").doesNotContain("external_reference");
    }

    @Test
    void postgresTakesTheMetadataAsJsonWithSortedKeysAndNoReferenceAsNull() throws Exception {
        Bound row =
                bind(LedgerColumns.TRANSACTION_RESULT, result(METADATA, "INV-1"), Store.POSTGRES);
        int metadata = LedgerColumns.TRANSACTION_RESULT.size() - 1;

        assertThat(row.values.get(metadata))
                .isEqualTo(
                        "{\"channel\":\"web\",\"note\":\"it's \\\"fine\\\" \\\\ \u00e9\","
                                + "\"orderId\":\"o-1\"}");
        assertThat(row.values.get(metadata + 1)).isEqualTo("INV-1");

        Bound bare = bind(LedgerColumns.LEDGER_ENTRY, entry(Map.of(), null), Store.POSTGRES);
        int entryMetadata = LedgerColumns.LEDGER_ENTRY.size() - 1;
        assertThat(bare.values.get(entryMetadata)).isEqualTo("{}");
        assertThat(bare.nulls).containsEntry(entryMetadata + 1, Types.VARCHAR);
    }

    @Test
    void clickHouseTakesTheMetadataAsAMapAndNoReferenceAsNullNotEmpty() throws Exception {
        Bound row = bind(LedgerColumns.LEDGER_ENTRY, entry(METADATA, "INV-1"), Store.CLICKHOUSE);
        int metadata = LedgerColumns.LEDGER_ENTRY.size() - 1;

        assertThat(row.values.get(metadata)).isEqualTo(new TreeMap<>(METADATA));
        assertThat(row.values.get(metadata + 1)).isEqualTo("INV-1");

        Bound bare =
                bind(LedgerColumns.TRANSACTION_RESULT, result(Map.of(), null), Store.CLICKHOUSE);
        int resultMetadata = LedgerColumns.TRANSACTION_RESULT.size() - 1;
        assertThat(bare.values.get(resultMetadata)).isEqualTo(Map.of());
        assertThat(bare.nulls).containsEntry(resultMetadata + 1, Types.VARCHAR);
        // A plain text column stays '' when absent in ClickHouse (the tables' convention).
        assertThat(bare.values.get(10)).isEqualTo(""); // related_transaction_id
    }

    /** What a statement was given, by parameter index: values, and SQL types of the NULLs. */
    private record Bound(Map<Integer, Object> values, Map<Integer, Integer> nulls) {}

    /**
     * Binds {@code record} to a {@link PreparedStatement} that only records what it is given: the
     * binding without a database (the ITCases run it against the real ones).
     */
    private static <T> Bound bind(Columns<T> columns, T record, Store store) throws Exception {
        Bound bound = new Bound(new HashMap<>(), new HashMap<>());
        PreparedStatement recording =
                (PreparedStatement)
                        Proxy.newProxyInstance(
                                ColumnsTest.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class},
                                (proxy, method, args) -> {
                                    if (method.getName().equals("setNull")) {
                                        bound.nulls.put((Integer) args[0], (Integer) args[1]);
                                    } else if (method.getName().startsWith("set")) {
                                        bound.values.put((Integer) args[0], args[1]);
                                    } else {
                                        throw new UnsupportedOperationException(method.getName());
                                    }
                                    return null;
                                });
        columns.bind(recording, record, store);
        return bound;
    }
}
