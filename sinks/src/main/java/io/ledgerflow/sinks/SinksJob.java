package io.ledgerflow.sinks;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.aggregates.AggregateSinks;
import io.ledgerflow.sinks.aggregates.AggregateStatements;
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
import io.ledgerflow.sinks.kafka.RawLedgerRecord;
import io.ledgerflow.sinks.kafka.RawLedgerRecordDeserializer;
import io.ledgerflow.sinks.postgres.ReadModelSinks;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
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
 * dead letters) from Kafka into the PostgreSQL read model and the ClickHouse analytics store.
 * {@link #defineWorkflow} wires the graph from any source and sinks; {@link #build} alone knows
 * Kafka, JDBC and ClickHouse. Design: {@code DISCUSSION.md} next to this class.
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

    /** Where each decoded stream goes. */
    public record Sinks(
            Sink<AccountState> readModelAccounts,
            Sink<TransactionResult> readModelTransactions,
            Sink<LedgerEntry> readModelLedgerEntries,
            Sink<AccountCommandResult> readModelCommandResults,
            Sink<DeadLetterRow> readModelDeadLetters,
            Sink<TransactionResult> analyticsTransactions,
            Sink<LedgerEntry> analyticsLedgerEntries,
            Sink<AccountState> analyticsBalances,
            FraudSinks fraud) {}

    /**
     * Checkpointing and restarts. A database outage longer than the sinks' own retries fails the
     * task; the job then restarts from its last checkpoint with exponentially growing pauses (so a
     * down database is not hammered) and replays into the idempotent tables. The job applies these
     * on top of the cluster's configuration, so they win over the same keys in the FlinkDeployment,
     * which repeats them so that the two never disagree.
     */
    public static Configuration clusterConfiguration(SinksConfig config) {
        Configuration conf = new Configuration();
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
     * The graph: decode every record once, then fan out. The read model's upserts are keyed by
     * account and by transaction so that one key's rows always go through one writer: no two
     * batches contend for a row (no deadlocks), and within a writer a key's rows stay in order.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<RawLedgerRecord, ?, ?> ledgerOutputs,
            String topicPrefix,
            String schemaRegistryUrl,
            Sinks sinks) {
        defineWorkflow(
                env, ledgerOutputs, topicPrefix, schemaRegistryUrl, Set.of(), sinks, null, null);
    }

    /**
     * {@link #defineWorkflow(StreamExecutionEnvironment, Source, String, String, Sinks)} plus the
     * windowed aggregates of the decided results, unless {@code aggregates} is null or disabled,
     * skipping the records of the ledger's outputs at {@code skippedInternalRecords} ({@code
     * topic-partition@offset}) instead of failing on them.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<RawLedgerRecord, ?, ?> ledgerOutputs,
            String topicPrefix,
            String schemaRegistryUrl,
            Set<String> skippedInternalRecords,
            Sinks sinks,
            AggregatesConfig aggregates,
            AggregateSinks aggregateSinks) {
        SingleOutputStreamOperator<DeadLetterRow> decoded =
                env.fromSource(ledgerOutputs, WatermarkStrategy.noWatermarks(), "Ledger outputs")
                        .uid("ledger-outputs-source")
                        .process(
                                new DecodeLedgerOutputs(
                                        schemaRegistryUrl,
                                        topicPrefix,
                                        SinksConfig.JOB_NAME,
                                        skippedInternalRecords))
                        .returns(TypeInformation.of(DeadLetterRow.class))
                        .uid("decode-ledger-outputs")
                        .name("Decode ledger outputs");

        DataStream<TransactionResult> results = decoded.getSideOutput(DecodeLedgerOutputs.RESULTS);
        DataStream<LedgerEntry> entries = decoded.getSideOutput(DecodeLedgerOutputs.ENTRIES);
        DataStream<AccountState> states = decoded.getSideOutput(DecodeLedgerOutputs.ACCOUNT_STATES);
        DataStream<AccountCommandResult> commandResults =
                decoded.getSideOutput(DecodeLedgerOutputs.COMMAND_RESULTS);

        states.keyBy(AccountState::getAccountId, Types.STRING)
                .sinkTo(sinks.readModelAccounts())
                .uid("read-model-accounts")
                .name("Read model: accounts");
        results.keyBy(TransactionResult::getTransactionId, Types.STRING)
                .sinkTo(sinks.readModelTransactions())
                .uid("read-model-transactions")
                .name("Read model: transactions");
        entries.sinkTo(sinks.readModelLedgerEntries())
                .uid("read-model-ledger-entries")
                .name("Read model: ledger entries");
        commandResults
                .sinkTo(sinks.readModelCommandResults())
                .uid("read-model-command-results")
                .name("Read model: account command results");
        decoded.sinkTo(sinks.readModelDeadLetters())
                .uid("read-model-dead-letters")
                .name("Read model: dead letters");

        results.sinkTo(sinks.analyticsTransactions())
                .uid("analytics-transactions")
                .name("Analytics: transactions");
        entries.sinkTo(sinks.analyticsLedgerEntries())
                .uid("analytics-ledger-entries")
                .name("Analytics: ledger entries");
        states.sinkTo(sinks.analyticsBalances())
                .uid("analytics-account-balances")
                .name("Analytics: account balances");

        if (aggregates != null && aggregates.enabled()) {
            WindowedAggregates.define(results, aggregates, aggregateSinks);
        }
        sinks.fraud()
                .wire(
                        decoded.getSideOutput(DecodeLedgerOutputs.FRAUD_ALERTS),
                        decoded.getSideOutput(DecodeLedgerOutputs.FRAUD_RULES));
    }

    /**
     * Savepoints map state to operators by uid: an operator without one of its own fails the build
     * instead of getting one generated from the graph's shape ({@code SinksJobUidsTest}).
     */
    public static Configuration pipelineConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        return conf;
    }

    /** Adds the whole job, Kafka source and database sinks included, to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        env.configure(pipelineConfiguration());
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        ReadModelSinks readModel = new ReadModelSinks(config);
        defineWorkflow(
                env,
                source(),
                config.topicPrefix(),
                config.schemaRegistryUrl(),
                config.skippedInternalRecords(),
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
                                analytics(FraudAnalyticsTables.RULE_CHANGES))),
                aggregates,
                new AggregateSinks(
                        analytics(AggregateTables.WINDOW_AGGREGATES),
                        readModel.sink(
                                AggregateStatements.UPSERT_WINDOW_AGGREGATE,
                                AggregateStatements::bindWindowAggregate),
                        analytics(AggregateTables.LATE_TRANSACTIONS),
                        readModel.sink(
                                AggregateStatements.INSERT_LATE_TRANSACTION,
                                AggregateStatements::bindLateTransaction)));
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

    private KafkaSource<RawLedgerRecord> source() {
        return KafkaSource.<RawLedgerRecord>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.sourceTopics())
                .setGroupId(config.consumerGroup())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawLedgerRecordDeserializer())
                // Only what the ledger's transactions committed: aborted attempts never show.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000")
                .build();
    }
}
