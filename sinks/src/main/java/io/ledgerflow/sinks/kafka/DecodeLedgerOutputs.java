package io.ledgerflow.sinks.kafka;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.DeadLetters;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import io.ledgerflow.schemas.kafka.UnreadableInternalRecordException;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import java.time.Instant;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the topics the sinks job reads (one Kafka source reads them all) into their Avro records.
 * Good records on the main output, bad ones on a side output, as the ledger job's decoders do: the
 * main output is the transaction results (what the read model exists to answer), every other record
 * type has a side output of its own, and {@link #DEAD_LETTERS} carries the dead letters, the
 * ledger's (read from its dead-letter topic) and this job's own for undecodable fraud rules, as the
 * rows the read model stores.
 *
 * <p>What happens to a record that can never decode (not Confluent Avro, unknown schema id, corrupt
 * body) depends on who writes its topic:
 *
 * <ul>
 *   <li>The ledger's outputs (results, entries, account states, command results, fraud alerts, its
 *       dead letters) are internal: only the ledger job writes them, in Kafka transactions. Such a
 *       record is either the ledger's own data (say the registry lost its schema), which the read
 *       model and ClickHouse must not silently miss, or a stray write an operator has to look at.
 *       It fails the task ({@link UnreadableInternalRecordException} with its position), which
 *       restarts from its checkpoint and stops at the record again, except at the positions an
 *       operator chose to skip ({@code --skip-internal-records}; runbook, "An internal record
 *       cannot be read").
 *   <li>The fraud-rules topic is input: operators publish rules there. Such a record becomes a dead
 *       letter with the reason and the original bytes, and the job keeps running.
 * </ul>
 *
 * <p>A topic the job does not know cannot come from the job's own source, which subscribes to
 * {@code SinksConfig.sourceTopics()} by name; it would mean a topic was added there but not here, a
 * bug that would drop every record of that topic, so it fails the task too instead of becoming a
 * dead letter per record.
 *
 * <p>A registry outage is not the record's fault: it fails the task, which restarts from its
 * checkpoint and retries.
 */
public final class DecodeLedgerOutputs
        extends ProcessFunction<KafkaRecordBytes, TransactionResult> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(DecodeLedgerOutputs.class);

    /** The main output's type: the ledger's transaction results. */
    public static final TypeInformation<TransactionResult> RESULTS =
            new AvroTypeInfo<>(TransactionResult.class);

    public static final OutputTag<LedgerEntry> ENTRIES =
            new OutputTag<>("entries", new AvroTypeInfo<>(LedgerEntry.class));
    public static final OutputTag<AccountState> ACCOUNT_STATES =
            new OutputTag<>("account-states", new AvroTypeInfo<>(AccountState.class));
    public static final OutputTag<AccountCommandResult> COMMAND_RESULTS =
            new OutputTag<>("command-results", new AvroTypeInfo<>(AccountCommandResult.class));
    public static final OutputTag<FraudAlert> FRAUD_ALERTS =
            new OutputTag<>("fraud-alerts", new AvroTypeInfo<>(FraudAlert.class));
    public static final OutputTag<FraudRule> FRAUD_RULES =
            new OutputTag<>("fraud-rules", new AvroTypeInfo<>(FraudRule.class));

    /** The ledger's dead letters and this job's own, as read-model rows. */
    public static final OutputTag<DeadLetterRow> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterRow.class));

    private final String registryUrl;
    private final String topicPrefix;
    private final String jobName;

    /**
     * Positions on the ledger's outputs an operator chose to skip: {@code topic-partition@offset}.
     */
    private final Set<String> skippedInternalRecords;

    private transient ConfluentAvroDecoder<TransactionResult> results;
    private transient ConfluentAvroDecoder<LedgerEntry> entries;
    private transient ConfluentAvroDecoder<AccountState> states;
    private transient ConfluentAvroDecoder<AccountCommandResult> commandResults;
    private transient ConfluentAvroDecoder<DeadLetter> deadLetters;
    private transient ConfluentAvroDecoder<FraudAlert> fraudAlerts;
    private transient ConfluentAvroDecoder<FraudRule> fraudRules;

    public DecodeLedgerOutputs(
            String registryUrl,
            String topicPrefix,
            String jobName,
            Set<String> skippedInternalRecords) {
        this.registryUrl = registryUrl;
        this.topicPrefix = topicPrefix;
        this.jobName = jobName;
        this.skippedInternalRecords = Set.copyOf(skippedInternalRecords);
    }

    @Override
    public void open(OpenContext openContext) {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(registryUrl);
        results = new ConfluentAvroDecoder<>(registry, TransactionResult.class);
        entries = new ConfluentAvroDecoder<>(registry, LedgerEntry.class);
        states = new ConfluentAvroDecoder<>(registry, AccountState.class);
        commandResults = new ConfluentAvroDecoder<>(registry, AccountCommandResult.class);
        deadLetters = new ConfluentAvroDecoder<>(registry, DeadLetter.class);
        fraudAlerts = new ConfluentAvroDecoder<>(registry, FraudAlert.class);
        fraudRules = new ConfluentAvroDecoder<>(registry, FraudRule.class);
    }

    @Override
    public void processElement(
            KafkaRecordBytes record, Context ctx, Collector<TransactionResult> out) {
        String topic =
                record.topic.startsWith(topicPrefix)
                        ? record.topic.substring(topicPrefix.length())
                        : record.topic;
        if (topic.equals(Topics.FRAUD_RULES)) {
            try {
                ctx.output(FRAUD_RULES, fraudRules.decode(record.value));
            } catch (InvalidRecordException e) {
                if (e.reason().retryable()) {
                    throw e;
                }
                DeadLetter own =
                        DeadLetters.ofRecord(
                                record,
                                e.reason().name(),
                                e.getMessage(),
                                jobName,
                                Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()));
                ctx.output(DEAD_LETTERS, DeadLetterRow.of(record, own));
            }
            return;
        }
        String position = InternalRecordPositions.of(record.topic, record.partition, record.offset);
        if (skippedInternalRecords.contains(position)) {
            LOG.warn(
                    "Skipping internal record {} as configured (--skip-internal-records)",
                    position);
            return;
        }
        try {
            switch (topic) {
                case Topics.TRANSACTION_RESULTS -> out.collect(results.decode(record.value));
                case Topics.LEDGER_ENTRIES -> ctx.output(ENTRIES, entries.decode(record.value));
                case Topics.ACCOUNT_STATES ->
                        ctx.output(ACCOUNT_STATES, states.decode(record.value));
                case Topics.ACCOUNT_COMMAND_RESULTS ->
                        ctx.output(COMMAND_RESULTS, commandResults.decode(record.value));
                case Topics.FRAUD_ALERTS ->
                        ctx.output(FRAUD_ALERTS, fraudAlerts.decode(record.value));
                case Topics.DEAD_LETTERS ->
                        ctx.output(
                                DEAD_LETTERS,
                                DeadLetterRow.of(record, deadLetters.decode(record.value)));
                default ->
                        throw new IllegalStateException(
                                "The sinks job does not read "
                                        + record.topic
                                        + " (record "
                                        + position
                                        + "): a topic in SinksConfig.sourceTopics() that"
                                        + " DecodeLedgerOutputs does not know");
            }
        } catch (InvalidRecordException e) {
            if (e.reason().retryable()) {
                throw e;
            }
            throw new UnreadableInternalRecordException(
                    position,
                    e,
                    "It is the ledger's committed output: dropping it would leave the read model"
                            + " and ClickHouse without it, so the sinks job stops here instead of"
                            + " dead-lettering it.");
        }
    }
}
