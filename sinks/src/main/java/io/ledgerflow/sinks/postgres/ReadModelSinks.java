package io.ledgerflow.sinks.postgres;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.kafka.DeadLetterRow;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The PostgreSQL read model's Flink sinks: flink-connector-jdbc at-least-once writers (batched,
 * flushed at every checkpoint, failed batches retried and the connection re-established) over the
 * idempotent statements of {@link ReadModelStatements}, each wrapped in a {@link ReadModelSink}.
 */
public final class ReadModelSinks {

    private final SinksConfig config;

    public ReadModelSinks(SinksConfig config) {
        this.config = config;
    }

    public ReadModelSink<AccountState> accounts() {
        return sink(ReadModelStatements.UPSERT_ACCOUNT, ReadModelStatements::bindAccount);
    }

    /** Its writer also keeps the month partitions of the history tables ahead of the clock. */
    public ReadModelSink<TransactionResult> transactions() {
        return new ReadModelSink<>(
                jdbc(ReadModelStatements.UPSERT_TRANSACTION, ReadModelStatements::bindTransaction),
                new MonthPartitions(config.postgres()));
    }

    public ReadModelSink<LedgerEntry> ledgerEntries() {
        return sink(ReadModelStatements.INSERT_LEDGER_ENTRY, ReadModelStatements::bindLedgerEntry);
    }

    public ReadModelSink<AccountCommandResult> commandResults() {
        return sink(
                ReadModelStatements.INSERT_COMMAND_RESULT, ReadModelStatements::bindCommandResult);
    }

    public ReadModelSink<DeadLetterRow> deadLetters() {
        return sink(ReadModelStatements.INSERT_DEAD_LETTER, ReadModelStatements::bindDeadLetter);
    }

    /**
     * A read model sink for any idempotent statement (the aggregate and fraud tables use it too).
     */
    public <T> ReadModelSink<T> sink(String sql, JdbcStatementBuilder<T> binder) {
        return new ReadModelSink<>(jdbc(sql, binder));
    }

    private <T> JdbcSink<T> jdbc(String sql, JdbcStatementBuilder<T> binder) {
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, binder)
                .withExecutionOptions(
                        JdbcExecutionOptions.builder()
                                .withBatchSize(config.postgresWrites().batchSize())
                                .withBatchIntervalMs(
                                        config.postgresWrites().batchInterval().toMillis())
                                .withMaxRetries(config.postgresWrites().maxRetries())
                                .build())
                .buildAtLeastOnce(
                        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                .withUrl(config.postgres().url())
                                .withDriverName("org.postgresql.Driver")
                                .withUsername(config.postgres().user())
                                .withPassword(config.postgres().password().reveal())
                                .withConnectionCheckTimeoutSeconds(5)
                                .build());
    }
}
