package io.ledgerflow.sinks;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.flink.kafka.RawRecordDeserializer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.aggregates.AggregateSinks;
import io.ledgerflow.sinks.aggregates.AggregateStatements;
import io.ledgerflow.sinks.aggregates.AggregateStreams;
import io.ledgerflow.sinks.aggregates.AggregateTables;
import io.ledgerflow.sinks.aggregates.AggregatesConfig;
import io.ledgerflow.sinks.aggregates.WindowedAggregates;
import io.ledgerflow.sinks.clickhouse.AnalyticsTables;
import io.ledgerflow.sinks.clickhouse.ClickHouseMigrations;
import io.ledgerflow.sinks.clickhouse.ClickHouseSink;
import io.ledgerflow.sinks.clickhouse.ClickHouseTable;
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import io.ledgerflow.sinks.fraud.FraudAnalyticsTables;
import io.ledgerflow.sinks.fraud.FraudReadModel;
import io.ledgerflow.sinks.fraud.FraudSinks;
import io.ledgerflow.sinks.kafka.DeadLetterRow;
import io.ledgerflow.sinks.kafka.DecodeLedgerOutputs;
import io.ledgerflow.sinks.postgres.ReadModelSinks;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sinks job: the ledger's committed outputs (results, entries, account states, command results,
 * dead letters, fraud alerts and rules) from Kafka into the PostgreSQL read model and the
 * ClickHouse analytics store. In the shape of the ledger job: {@link #decode} turns the records
 * read into {@link LedgerOutputs}, {@link #defineWorkflow} wires the graph from those streams into
 * {@link StoreStreams}, {@link #writeTo} sends each to its {@link Sinks}; {@link #build} alone
 * knows Kafka, JDBC and ClickHouse. Design: {@code DISCUSSION.md} next to this class.
 */
public final class SinksJob {

    private static final Logger LOG = LoggerFactory.getLogger(SinksJob.class);

    private final SinksConfig config;
    private final AggregatesConfig aggregates;

    public SinksJob(SinksConfig config) {
        this(config, AggregatesConfig.defaults());
    }

    public SinksJob(SinksConfig config, AggregatesConfig aggregates) {
        this.config = config;
        this.aggregates = aggregates;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        SinksConfig config = SinksConfig.read(settings);
        AggregatesConfig aggregates = AggregatesConfig.read(settings);
        settings.check();
        LOG.info("{} configuration:\n{}", SinksConfig.JOB_NAME, settings.describe());
        SinksJob job = new SinksJob(config, aggregates);
        job.migrateStores();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(clusterConfiguration(config));
        job.build(env);
        env.execute(SinksConfig.JOB_NAME);
    }

    /** The ledger's committed outputs, decoded: what the sinks job reads. */
    public record LedgerOutputs(
            DataStream<TransactionResult> results,
            DataStream<LedgerEntry> entries,
            DataStream<AccountState> accountStates,
            DataStream<AccountCommandResult> commandResults,
            DataStream<FraudAlert> fraudAlerts,
            DataStream<FraudRule> fraudRules,
            DataStream<DeadLetterRow> deadLetters) {}

    /**
     * What each store receives, before its sink. The read model's upserts come keyed (accounts by
     * account, transactions by id, fraud alerts by alert id) so that one key's rows always go
     * through one writer.
     *
     * @param aggregates the windowed aggregates' rows, when they are enabled
     */
    public record StoreStreams(
            DataStream<AccountState> readModelAccounts,
            DataStream<TransactionResult> readModelTransactions,
            DataStream<LedgerEntry> readModelLedgerEntries,
            DataStream<AccountCommandResult> readModelCommandResults,
            DataStream<DeadLetterRow> readModelDeadLetters,
            DataStream<FraudAlert> readModelFraudAlerts,
            DataStream<FraudRule> readModelFraudRuleChanges,
            DataStream<TransactionResult> analyticsTransactions,
            DataStream<LedgerEntry> analyticsLedgerEntries,
            DataStream<AccountState> analyticsBalances,
            DataStream<FraudAlert> analyticsFraudAlerts,
            DataStream<FraudRule> analyticsFraudRuleChanges,
            Optional<AggregateStreams> aggregates) {}

    /** Where each store stream goes. */
    public record Sinks(
            Sink<AccountState> readModelAccounts,
            Sink<TransactionResult> readModelTransactions,
            Sink<LedgerEntry> readModelLedgerEntries,
            Sink<AccountCommandResult> readModelCommandResults,
            Sink<DeadLetterRow> readModelDeadLetters,
            Sink<TransactionResult> analyticsTransactions,
            Sink<LedgerEntry> analyticsLedgerEntries,
            Sink<AccountState> analyticsBalances,
            FraudSinks fraud,
            AggregateSinks aggregates) {}

    /**
     * Checkpointing and restarts. A database outage longer than the sinks' own retries fails the
     * task; the job then restarts from its last checkpoint with exponentially growing pauses (so a
     * down database is not hammered) and replays into the idempotent tables. The job applies these
     * on top of the cluster's configuration, so they win over the same keys in the FlinkDeployment,
     * which repeats them so that the two never disagree.
     */
    public static Configuration clusterConfiguration(SinksConfig config) {
        Configuration conf = new Configuration();
        // RocksDB with incremental checkpoints, as the FlinkDeployment sets it: the open windows
        // grow with the number of active accounts, and Flink's default heap backend writes all of
        // them out at every checkpoint (in the local run that was most of the job's CPU at 100
        // transfers/s).
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDirectory());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofMillis(500));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofSeconds(30));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                Integer.MAX_VALUE);
        return conf;
    }

    /** Applies pending PostgreSQL and ClickHouse migrations; a no-op when both are current. */
    public void migrateStores() throws SQLException {
        PostgresMigrations.apply(
                config.postgres().url(),
                config.postgres().user(),
                config.postgres().password().reveal());
        ClickHouseMigrations.apply(clickHouseTarget());
    }

    /**
     * Decodes every record the source read, once: results on the main output, every other type on
     * its own side output, dead letters (the ledger's, and undecodable fraud rules) on theirs. A
     * record of the ledger's outputs that cannot be decoded fails the job unless its position is in
     * {@code skippedInternalRecords} ({@code topic-partition@offset}): see {@link
     * DecodeLedgerOutputs}.
     */
    public static LedgerOutputs decode(
            DataStream<KafkaRecordBytes> records,
            String topicPrefix,
            String schemaRegistryUrl,
            Set<String> skippedInternalRecords) {
        SingleOutputStreamOperator<TransactionResult> decoded =
                records.process(
                                new DecodeLedgerOutputs(
                                        schemaRegistryUrl,
                                        topicPrefix,
                                        SinksConfig.JOB_NAME,
                                        skippedInternalRecords))
                        .returns(DecodeLedgerOutputs.RESULTS)
                        .uid("decode-ledger-outputs")
                        .name("Decode ledger outputs");
        return new LedgerOutputs(
                decoded,
                decoded.getSideOutput(DecodeLedgerOutputs.ENTRIES),
                decoded.getSideOutput(DecodeLedgerOutputs.ACCOUNT_STATES),
                decoded.getSideOutput(DecodeLedgerOutputs.COMMAND_RESULTS),
                decoded.getSideOutput(DecodeLedgerOutputs.FRAUD_ALERTS),
                decoded.getSideOutput(DecodeLedgerOutputs.FRAUD_RULES),
                decoded.getSideOutput(DecodeLedgerOutputs.DEAD_LETTERS));
    }

    /**
     * The graph from the decoded outputs to the stores, independent of where they are read and
     * written. The read model's upserts are keyed by account and by transaction so that one key's
     * rows always go through one writer: no two batches contend for a row (no deadlocks), and
     * within a writer a key's rows stay in order. The windowed aggregates of the decided results
     * are added when {@code aggregates} enables them.
     */
    public static StoreStreams defineWorkflow(LedgerOutputs in, AggregatesConfig aggregates) {
        return new StoreStreams(
                in.accountStates().keyBy(AccountState::getAccountId, Types.STRING),
                in.results().keyBy(TransactionResult::getTransactionId, Types.STRING),
                in.entries(),
                in.commandResults(),
                in.deadLetters(),
                in.fraudAlerts().keyBy(FraudAlert::getAlertId, Types.STRING),
                in.fraudRules(),
                in.results(),
                in.entries(),
                in.accountStates(),
                in.fraudAlerts(),
                in.fraudRules(),
                aggregates.enabled()
                        ? Optional.of(WindowedAggregates.define(in.results(), aggregates))
                        : Optional.empty());
    }

    /** Sends each store stream to its sink. */
    public static void writeTo(StoreStreams out, Sinks sinks) {
        out.readModelAccounts()
                .sinkTo(sinks.readModelAccounts())
                .uid("read-model-accounts")
                .name("Read model: accounts");
        out.readModelTransactions()
                .sinkTo(sinks.readModelTransactions())
                .uid("read-model-transactions")
                .name("Read model: transactions");
        out.readModelLedgerEntries()
                .sinkTo(sinks.readModelLedgerEntries())
                .uid("read-model-ledger-entries")
                .name("Read model: ledger entries");
        out.readModelCommandResults()
                .sinkTo(sinks.readModelCommandResults())
                .uid("read-model-command-results")
                .name("Read model: account command results");
        out.readModelDeadLetters()
                .sinkTo(sinks.readModelDeadLetters())
                .uid("read-model-dead-letters")
                .name("Read model: dead letters");

        out.analyticsTransactions()
                .sinkTo(sinks.analyticsTransactions())
                .uid("analytics-transactions")
                .name("Analytics: transactions");
        out.analyticsLedgerEntries()
                .sinkTo(sinks.analyticsLedgerEntries())
                .uid("analytics-ledger-entries")
                .name("Analytics: ledger entries");
        out.analyticsBalances()
                .sinkTo(sinks.analyticsBalances())
                .uid("analytics-account-balances")
                .name("Analytics: account balances");

        sinks.fraud()
                .wire(
                        out.readModelFraudAlerts(),
                        out.readModelFraudRuleChanges(),
                        out.analyticsFraudAlerts(),
                        out.analyticsFraudRuleChanges());
        out.aggregates().ifPresent(rows -> sinks.aggregates().wire(rows));
    }

    /**
     * Savepoints map state to operators by uid: an operator without one of its own fails the build
     * instead of getting one generated from the graph's shape ({@code SinksJobUidsTest}). A type
     * that Flink would serialize with Kryo fails the build too, as in the ledger job: Kryo is slow
     * and its state cannot evolve ({@code SinksJobStateTest} checks the window state's types).
     */
    public static Configuration pipelineConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /** Adds the whole job, Kafka source and database sinks included, to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        env.configure(pipelineConfiguration());
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        ReadModelSinks readModel = new ReadModelSinks(config);
        DataStream<KafkaRecordBytes> records =
                env.fromSource(source(), WatermarkStrategy.noWatermarks(), "Ledger outputs")
                        .uid("ledger-outputs-source");
        LedgerOutputs decoded =
                decode(
                        records,
                        config.topicPrefix(),
                        config.schemaRegistryUrl(),
                        config.skippedInternalRecords());
        writeTo(
                defineWorkflow(decoded, aggregates),
                new Sinks(
                        readModel.accounts(),
                        readModel.transactions(),
                        readModel.ledgerEntries(),
                        readModel.commandResults(),
                        readModel.deadLetters(),
                        analytics(AnalyticsTables.TRANSACTIONS),
                        analytics(AnalyticsTables.LEDGER_ENTRIES),
                        analytics(AnalyticsTables.ACCOUNT_BALANCES),
                        new FraudSinks(
                                readModel.sink(
                                        FraudReadModel.INSERT_ALERT, FraudReadModel::bindAlert),
                                readModel.sink(
                                        FraudReadModel.INSERT_RULE_CHANGE,
                                        FraudReadModel::bindRuleChange),
                                analytics(FraudAnalyticsTables.ALERTS),
                                analytics(FraudAnalyticsTables.RULE_CHANGES)),
                        new AggregateSinks(
                                analytics(AggregateTables.WINDOW_AGGREGATES),
                                readModel.sink(
                                        AggregateStatements.UPSERT_WINDOW_AGGREGATE,
                                        AggregateStatements::bindWindowAggregate),
                                analytics(AggregateTables.LATE_TRANSACTIONS),
                                readModel.sink(
                                        AggregateStatements.INSERT_LATE_TRANSACTION,
                                        AggregateStatements::bindLateTransaction))));
    }

    /** Builds and starts the job without waiting for it (MiniCluster runs, benchmarks). */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(SinksConfig.JOB_NAME);
    }

    public ClickHouseTarget clickHouseTarget() {
        return new ClickHouseTarget(
                config.clickHouse().url(),
                config.clickHouse().database(),
                config.clickHouse().user(),
                config.clickHouse().password().reveal());
    }

    private <T> ClickHouseSink<T> analytics(ClickHouseTable<T> table) {
        return new ClickHouseSink<>(
                clickHouseTarget(),
                table,
                config.clickHouseWrites().batchRows(),
                config.clickHouseWrites().flushInterval(),
                config.clickHouseWrites().maxRetries(),
                config.clickHouseWrites().initialBackoff(),
                SinksConfig.MAX_BACKOFF);
    }

    private KafkaSource<KafkaRecordBytes> source() {
        return KafkaSource.<KafkaRecordBytes>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.sourceTopics())
                .setGroupId(config.consumerGroup())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                // Only what the ledger's transactions committed: aborted attempts never show.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000")
                .build();
    }
}
