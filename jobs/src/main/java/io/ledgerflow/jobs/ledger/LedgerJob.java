package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.kafka.DecodeConfluentAvro;
import io.ledgerflow.flink.kafka.EncodeConfluentAvro;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.flink.kafka.RawRecordDeserializer;
import io.ledgerflow.flink.kafka.RawRecordSerializer;
import io.ledgerflow.flink.kafka.SafeClosingKafkaSink;
import io.ledgerflow.flink.types.AvroRecordSerializer;
import io.ledgerflow.jobs.fraud.AlertWindow;
import io.ledgerflow.jobs.fraud.AlertWindowSettings;
import io.ledgerflow.jobs.fraud.FraudAlertWindows;
import io.ledgerflow.jobs.fraud.FraudScreen;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.Settings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger job: ledger requests in, results, ledger entries, account states, command results and
 * dead letters out, exactly once. {@link #decode} turns the records read into {@link LedgerInputs},
 * {@link #defineWorkflow} wires the stateful graph from any streams into {@link LedgerStreams};
 * {@link #build} alone knows Kafka (sources, the transactional sink). The sinks job has the same
 * shape. Design and failure analysis: {@code DISCUSSION.md} next to this class.
 */
public final class LedgerJob {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerJob.class);

    private final LedgerJobConfig config;

    /** The topics the job writes, collected as outputs are encoded, for the sink to declare. */
    private final Set<String> outputTopics = new LinkedHashSet<>();

    public LedgerJob(LedgerJobConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        LedgerJobConfig config = LedgerJobConfig.read(settings);
        settings.check();
        LOG.info("{} configuration:\n{}", LedgerJobConfig.JOB_NAME, settings.describe());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(clusterConfiguration(config));
        new LedgerJob(config).build(env);
        env.execute(LedgerJobConfig.JOB_NAME);
    }

    /**
     * The ledger's inputs, decoded, and the dead letters of input records that could not be (an
     * unreadable instruction is not among them: it fails the job, see {@link #decode}).
     */
    public record LedgerInputs(
            DataStream<LedgerRequest> requests,
            DataStream<LedgerInstruction> instructions,
            DataStream<FraudRule> fraudRules,
            DataStream<DeadLetter> undecodable) {}

    /** The ledger's outputs before encoding. */
    public record LedgerStreams(
            DataStream<TransactionResult> results,
            DataStream<LedgerEntry> entries,
            DataStream<AccountState> accountStates,
            DataStream<AccountCommandResult> commandResults,
            DataStream<LedgerInstruction> instructions,
            DataStream<FraudAlert> fraudAlerts,
            DataStream<DeadLetter> deadLetters) {}

    /**
     * The changelog state backend: every change to keyed state also goes to a log that a checkpoint
     * only has to flush, so a checkpoint costs a few small file writes instead of a RocksDB flush
     * and new SST files (DISCUSSION.md, "Why the checkpoint interval is 200 ms"). The log lives
     * under {@code checkpointDirectory}.
     *
     * <p>TaskManagers read the log's storage from their own configuration, not the job's: a cluster
     * must be started with these settings for the log to be durable (the FlinkDeployment sets them;
     * the local run, the benchmark and the failure ITCases start their MiniClusters with them). A
     * job that only asks for the changelog gets Flink's in-memory log.
     *
     * <p>A job under the changelog can only be restored in CLAIM mode: Flink's default, NO_CLAIM,
     * needs a full first checkpoint after the restore, which the changelog cannot take (the restore
     * then fails). In CLAIM mode the restored job owns the checkpoint or savepoint it started from
     * and deletes it once newer checkpoints subsume it (runbook, "Compatibility between versions").
     */
    public static Configuration changelogConfiguration(String checkpointDirectory) {
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        conf.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, true);
        conf.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
        conf.set(CHANGELOG_BASE_PATH, new Path(checkpointDirectory, "changelog").toString());
        conf.set(StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL, MATERIALIZATION_INTERVAL);
        return conf;
    }

    /**
     * How often RocksDB's state is written out in full (incrementally) under the changelog, which
     * then starts afresh. A restore replays at most this much of the log.
     */
    public static final Duration MATERIALIZATION_INTERVAL = Duration.ofSeconds(10);

    /**
     * {@code state.changelog.dstl.dfs.base-path}; the option's constant lives in flink-dstl-dfs,
     * which is in Flink's distribution, not on the job's compile path.
     */
    private static final ConfigOption<String> CHANGELOG_BASE_PATH =
            ConfigOptions.key("state.changelog.dstl.dfs.base-path").stringType().noDefaultValue();

    /**
     * State backend and checkpointing: RocksDB with incremental checkpoints under the changelog
     * state backend, exactly-once barriers. The job applies these on top of the cluster's own
     * configuration, so its job-level keys win over the FlinkDeployment's; the changelog's storage
     * is read by the TaskManagers from the cluster's configuration only (see {@link
     * #changelogConfiguration}). The manifest repeats every key (and passes the interval as {@code
     * --checkpoint-interval}) so the two never disagree.
     */
    public static Configuration clusterConfiguration(LedgerJobConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDirectory());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.addAll(changelogConfiguration(config.checkpointDirectory()));
        return conf;
    }

    /**
     * The stateful graph, independent of where requests and fraud rules come from and results go.
     *
     * <p>Each request is split where it is read: a small claim goes to the idempotency gate (keyed
     * by partner and id), the request itself to its account's admission (keyed by account), which
     * lets the account's requests on in arrival order as the gate answers, straight into the fraud
     * screen (which may block a movement before any money moves) in the same operator. The ledger
     * reads what the screen forwards over a forward edge ({@code reinterpretAsKeyedStream}), so the
     * full request crosses the network once and one account's requests cannot overtake each other.
     */
    public static LedgerStreams defineWorkflow(
            DataStream<LedgerRequest> requests,
            DataStream<LedgerInstruction> instructions,
            DataStream<FraudRule> fraudRules,
            LedgerJobConfig config) {
        SingleOutputStreamOperator<ScreenInput> identified =
                requests.process(new IdentifyRequests())
                        .returns(AdmissionSerializers.SCREEN_INPUT)
                        .uid("identify-requests")
                        .name("Identify requests");

        DataStream<ScreenInput> answers =
                identified
                        .getSideOutput(IdentifyRequests.CLAIMS)
                        .keyBy(IdClaim::getGateKey, Types.STRING)
                        .process(new IdempotencyGate(config.ledger().dedupRetention()))
                        .returns(AdmissionSerializers.GATE_ANSWER)
                        .uid("idempotency-gate")
                        .name("Idempotency gate")
                        .map(ScreenInput::of)
                        .returns(AdmissionSerializers.SCREEN_INPUT)
                        .uid("gate-answers")
                        .name("Gate answers");

        // Admission and the screen share the account's key and one operator: an admitted request
        // is screened without another trip through the network. Everything the screen forwards is
        // at the ledger's key (LedgerRouting.accountOf), so the ledger reads it over a forward
        // edge.
        SingleOutputStreamOperator<LedgerRequest> screened =
                identified
                        .union(answers)
                        .keyBy(ScreenInput::getAccountId, Types.STRING)
                        .connect(fraudRules.broadcast(FraudScreen.RULES))
                        .process(
                                new AdmissionAndScreen(
                                        config.fraudScreen(),
                                        LedgerJobConfig.JOB_NAME,
                                        config.topic(Topics.FRAUD_RULES),
                                        config.requestsTopic()))
                        .returns(AvroRecordSerializer.typeOf(LedgerRequest.class))
                        .uid("fraud-screen")
                        .name("Admission and fraud screen");

        SingleOutputStreamOperator<TransactionResult> ledger =
                DataStreamUtils.reinterpretAsKeyedStream(
                                screened, LedgerRouting::accountOf, Types.STRING)
                        .connect(instructions.keyBy(LedgerInstruction::getAccountId, Types.STRING))
                        .process(
                                new LedgerFunction(
                                        config.ledger(),
                                        config.requestsTopic(),
                                        config.instructionsTopic()))
                        .returns(AvroRecordSerializer.typeOf(TransactionResult.class))
                        .uid("ledger")
                        .name("Ledger");

        return new LedgerStreams(
                ledger.union(
                        screened.getSideOutput(Admission.REJECTED),
                        screened.getSideOutput(FraudScreen.BLOCKED)),
                ledger.getSideOutput(LedgerFunction.LEDGER_ENTRIES),
                ledger.getSideOutput(LedgerFunction.ACCOUNT_STATES),
                ledger.getSideOutput(LedgerFunction.COMMAND_RESULTS),
                ledger.getSideOutput(LedgerFunction.INSTRUCTIONS),
                alertWindows(screened.getSideOutput(FraudScreen.ALERTS), config.fraudAlerts()),
                screened.getSideOutput(Admission.CONFLICTS)
                        .union(
                                screened.getSideOutput(FraudScreen.REFUSED_RULES),
                                ledger.getSideOutput(LedgerFunction.DEAD_LETTERS)));
    }

    /**
     * One alert per account, rule and burst of matches ({@link AlertWindow}). The screen's alerts
     * are keyed by its key, the account, so the windows chain to it without a shuffle.
     */
    private static DataStream<FraudAlert> alertWindows(
            DataStream<FraudAlert> matches, AlertWindowSettings settings) {
        return DataStreamUtils.reinterpretAsKeyedStream(
                        matches, FraudAlert::getAccountId, Types.STRING)
                .process(new FraudAlertWindows(settings))
                .returns(AvroRecordSerializer.typeOf(FraudAlert.class))
                .uid("fraud-alert-windows")
                .name("Fraud alert windows");
    }

    /**
     * Decodes the records the sources read (Confluent Avro): good records on each decoder's main
     * output, a request or fraud rule that can never decode on its side output as a dead letter.
     * The instructions are the ledger's own loop: one that cannot be read fails the job (except at
     * the positions in {@code config.skippedInternalRecords()}), never a dead letter, because it
     * may carry money in flight.
     */
    public static LedgerInputs decode(
            DataStream<KafkaRecordBytes> requests,
            DataStream<KafkaRecordBytes> instructions,
            DataStream<KafkaRecordBytes> fraudRules,
            LedgerJobConfig config) {
        return decoded(
                decodeRequests(requests, config),
                decodeInstructions(instructions, config),
                decodeFraudRules(fraudRules, config));
    }

    private static SingleOutputStreamOperator<LedgerRequest> decodeRequests(
            DataStream<KafkaRecordBytes> requests, LedgerJobConfig config) {
        return requests.process(
                        new DecodeConfluentAvro<>(
                                config.schemaRegistryUrl(),
                                LedgerRequest.class,
                                LedgerJobConfig.JOB_NAME))
                .returns(AvroRecordSerializer.typeOf(LedgerRequest.class))
                .uid("decode-ledger-requests")
                .name("Decode ledger requests");
    }

    private static SingleOutputStreamOperator<LedgerInstruction> decodeInstructions(
            DataStream<KafkaRecordBytes> instructions, LedgerJobConfig config) {
        return instructions
                .process(
                        DecodeConfluentAvro.forInternalTopic(
                                config.schemaRegistryUrl(),
                                LedgerInstruction.class,
                                LedgerJobConfig.JOB_NAME,
                                config.skippedInternalRecords()))
                .returns(AvroRecordSerializer.typeOf(LedgerInstruction.class))
                .uid("decode-ledger-instructions")
                .name("Decode ledger instructions");
    }

    private static SingleOutputStreamOperator<FraudRule> decodeFraudRules(
            DataStream<KafkaRecordBytes> fraudRules, LedgerJobConfig config) {
        return fraudRules
                .process(
                        new DecodeConfluentAvro<>(
                                config.schemaRegistryUrl(),
                                FraudRule.class,
                                LedgerJobConfig.JOB_NAME))
                .returns(AvroRecordSerializer.typeOf(FraudRule.class))
                .uid("decode-fraud-rules")
                .name("Decode fraud rules");
    }

    private static LedgerInputs decoded(
            SingleOutputStreamOperator<LedgerRequest> decodedRequests,
            SingleOutputStreamOperator<LedgerInstruction> decodedInstructions,
            SingleOutputStreamOperator<FraudRule> decodedRules) {
        return new LedgerInputs(
                decodedRequests,
                decodedInstructions,
                decodedRules,
                decodedRequests
                        .getSideOutput(DecodeConfluentAvro.DEAD_LETTERS)
                        .union(decodedRules.getSideOutput(DecodeConfluentAvro.DEAD_LETTERS)));
    }

    /**
     * How the job's records travel: chained operators hand records on without a copy (object reuse:
     * no operator here keeps or changes a record after passing it on, and records arriving over the
     * network are always fresh objects), and a type Flink would serialize with Kryo fails the job
     * at start instead of running slowly. Records between operators have compact serializers: Avro
     * records through {@code AvroRecordSerializer} (Avro's fast reader), the job's own envelopes
     * through hand-written ones ({@code AdmissionSerializers}, {@code KafkaRecordBytes.TYPE});
     * {@code LedgerJobTypesTest} refuses an edge that would fall back to Kryo or to Flink's
     * reflective POJO serializer. Keyed state keeps Avro and POJO types, whose serializers evolve
     * across savepoints. A partly filled network buffer leaves after {@link #BUFFER_TIMEOUT} rather
     * than Flink's default 100 ms: a request crosses up to four network edges before its result
     * reaches Kafka, and at a low rate each would otherwise hold it until the timeout.
     */
    public static Configuration pipelineConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Savepoints map state to operators by uid: an operator without one of its own fails the
        // build instead of getting one generated from the graph's shape (LedgerJobUidsTest).
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, BUFFER_TIMEOUT);
        return conf;
    }

    /** How long a partly filled network buffer may wait for more records. */
    public static final Duration BUFFER_TIMEOUT = Duration.ofMillis(10);

    /** Adds the whole job, Kafka sources and sink included, to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        env.configure(pipelineConfiguration());
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);

        // Each source and its decoder in turn, the order the graph has always been built in: the
        // order of the job graph's vertices decides how the scheduler places tasks in slots.
        SingleOutputStreamOperator<LedgerRequest> requests =
                decodeRequests(
                        env.fromSource(
                                        source(config.requestsTopic()),
                                        WatermarkStrategy.noWatermarks(),
                                        "Ledger requests")
                                .uid("ledger-requests-source"),
                        config);
        SingleOutputStreamOperator<LedgerInstruction> instructions =
                decodeInstructions(
                        env.fromSource(
                                        source(config.instructionsTopic()),
                                        WatermarkStrategy.noWatermarks(),
                                        "Ledger instructions")
                                .uid("ledger-instructions-source"),
                        config);
        SingleOutputStreamOperator<FraudRule> fraudRules =
                decodeFraudRules(
                        env.fromSource(
                                        fraudRulesSource(),
                                        WatermarkStrategy.noWatermarks(),
                                        "Fraud rules")
                                .uid("fraud-rules-source"),
                        config);
        LedgerInputs in = decoded(requests, instructions, fraudRules);

        LedgerStreams out =
                defineWorkflow(in.requests(), in.instructions(), in.fraudRules(), config);
        DataStream<DeadLetter> deadLetters = out.deadLetters().union(in.undecodable());

        encode(
                        out.results(),
                        config.topic(Topics.TRANSACTION_RESULTS),
                        TransactionResult.class,
                        r -> r.getTransactionId(),
                        "results")
                .union(
                        encode(
                                out.entries(),
                                config.topic(Topics.LEDGER_ENTRIES),
                                LedgerEntry.class,
                                LedgerEntry::getAccountId,
                                "ledger-entries"),
                        encode(
                                out.accountStates(),
                                config.topic(Topics.ACCOUNT_STATES),
                                AccountState.class,
                                AccountState::getAccountId,
                                "account-states"),
                        encode(
                                out.commandResults(),
                                config.topic(Topics.ACCOUNT_COMMAND_RESULTS),
                                AccountCommandResult.class,
                                AccountCommandResult::getAccountId,
                                "account-command-results"),
                        encode(
                                out.instructions(),
                                config.instructionsTopic(),
                                LedgerInstruction.class,
                                LedgerInstruction::getAccountId,
                                "ledger-instructions"),
                        encode(
                                out.fraudAlerts(),
                                config.topic(Topics.FRAUD_ALERTS),
                                FraudAlert.class,
                                FraudAlert::getAccountId,
                                "fraud-alerts"),
                        encode(
                                deadLetters,
                                config.topic(Topics.DEAD_LETTERS),
                                DeadLetter.class,
                                d -> d.getSourceTopic(),
                                "dead-letters"))
                .sinkTo(sink())
                .uid("ledger-kafka-sink")
                .name("Ledger outputs to Kafka");
    }

    /** Builds and starts the job without waiting for it (MiniCluster runs, benchmarks). */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(LedgerJobConfig.JOB_NAME);
    }

    private <T extends SpecificRecord> DataStream<KafkaRecordBytes> encode(
            DataStream<T> stream,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            String name) {
        outputTopics.add(topic);
        return stream.map(new EncodeConfluentAvro<>(config.schemaRegistryUrl(), topic, type, key))
                .returns(KafkaRecordBytes.TYPE)
                .uid("encode-" + name)
                .name("Encode " + name);
    }

    private KafkaSource<KafkaRecordBytes> source(String topic) {
        return KafkaSource.<KafkaRecordBytes>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(config.consumerGroup())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                // Only what the ledger's own (and upstream) transactions committed.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000")
                .build();
    }

    /**
     * The rules topic from its beginning when the job starts without a checkpoint: it is compacted,
     * so that is the latest version of every rule. (Committed group offsets would skip rules a
     * previous deployment already read, and leave this one without them.)
     */
    private KafkaSource<KafkaRecordBytes> fraudRulesSource() {
        return KafkaSource.<KafkaRecordBytes>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.topic(Topics.FRAUD_RULES))
                .setGroupId(config.consumerGroup())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .build();
    }

    /**
     * All outputs in Kafka transactions that commit with the checkpoint. Wrapped so that a failing
     * task cannot take its TaskManager down through the connector's close (see {@link
     * SafeClosingKafkaSink}).
     */
    private SafeClosingKafkaSink<KafkaRecordBytes> sink() {
        Properties producer = new Properties();
        producer.put(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(LedgerJobConfig.TRANSACTION_TIMEOUT.toMillis()));
        // Nothing written here is visible before the checkpoint's commit, and the writer flushes
        // at every checkpoint barrier, so waiting longer for a fuller batch costs no visible
        // latency; at 5 ms each partition's batch held a few records, and every batch paid for its
        // own LZ4 frame and produce request (the producer's threads were 10-18 % of the job's CPU).
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new SafeClosingKafkaSink<>(
                KafkaSink.<KafkaRecordBytes>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new RawRecordSerializer(List.copyOf(outputTopics)))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(config.transactionalIdPrefix())
                        // A checkpoint every 200 ms with the default naming (a new transactional
                        // id per checkpoint) would leave the broker about 430,000 ids a day per
                        // subtask to remember for transactional.id.expiration.ms (7 days); pooled
                        // names reuse a few per subtask (DISCUSSION.md, "Transaction names").
                        .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                        .setKafkaProducerConfig(producer)
                        .build());
    }
}
