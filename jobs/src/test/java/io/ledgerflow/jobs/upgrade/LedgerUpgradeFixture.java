package io.ledgerflow.jobs.upgrade;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A savepoint that an earlier version of the ledger job wrote, kept in the repository with what
 * that version committed, so that every later version proves it can take over from it (runbook,
 * "Compatibility between versions").
 *
 * <p>One fixture is a folder {@code src/test/resources/upgrade/ledger/<version>/}: {@code
 * savepoint/} (a canonical savepoint, relocatable), one Avro data file per output topic with the
 * records that version committed before it stopped, and {@code fixture.properties}. The workload is
 * {@link LedgerWorkload} with a fixed seed: the version that wrote the fixture was given the
 * accounts and the first half of the movements, and decided all of them before it was stopped; a
 * later version is given the second half.
 */
final class LedgerUpgradeFixture {

    static final long SEED = 19;
    static final int ACCOUNTS = 60;
    static final int MOVEMENTS = 1_600;
    static final int PARTITIONS = 4;
    static final int WRITER_PARALLELISM = 2;

    /** The output topics whose committed records a fixture keeps, and the type of each. */
    static final Map<String, Class<? extends SpecificRecord>> OUTPUTS =
            Map.of(
                    Topics.TRANSACTION_RESULTS, TransactionResult.class,
                    Topics.LEDGER_ENTRIES, LedgerEntry.class,
                    Topics.ACCOUNT_STATES, AccountState.class,
                    Topics.DEAD_LETTERS, DeadLetter.class);

    private LedgerUpgradeFixture() {}

    static LedgerWorkload workload() {
        return LedgerWorkload.generate(SEED, ACCOUNTS, MOVEMENTS);
    }

    static int half(LedgerWorkload workload) {
        return workload.movements.size() / 2;
    }

    /** What the fixture's version was given: the accounts, then the first half of the movements. */
    static List<LedgerRequest> firstPart(LedgerWorkload workload) {
        List<LedgerRequest> requests = new ArrayList<>(workload.setup);
        requests.addAll(workload.movements.subList(0, half(workload)));
        return requests;
    }

    static List<LedgerRequest> secondPart(LedgerWorkload workload) {
        return workload.movements.subList(half(workload), workload.movements.size());
    }

    static Set<String> transactionIds(List<LedgerRequest> requests) {
        Set<String> ids = new LinkedHashSet<>();
        for (LedgerRequest r : requests) {
            if (r.getRequest() instanceof MoneyMovement m) {
                ids.add(m.getTransactionId());
            }
        }
        return ids;
    }

    /**
     * The job's settings for a fixture's version. The topic prefix, and with it the topic names in
     * the savepoint's Kafka source state and the sink's transactional ids, is the fixture's own.
     */
    static LedgerJobConfig config(
            String bootstrapServers, String registryUrl, String topicPrefix, Path checkpoints) {
        return LedgerJobConfig.defaults()
                .withKafka(bootstrapServers, registryUrl)
                .withTopicPrefix(topicPrefix)
                .withHoldExpiry(Duration.ofSeconds(2))
                .withCheckpoints(Duration.ofMillis(500), checkpoints.toUri().toString())
                .withParallelism(WRITER_PARALLELISM);
    }

    static String topicPrefix(String version) {
        return "it-upgrade-" + version + "-";
    }

    static JobClient start(LedgerJobConfig config, String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = LedgerJob.clusterConfiguration(config);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        env.configure(conf);
        return new LedgerJob(config).start(env);
    }

    static <T extends SpecificRecord> void writeRecords(
            Path file, Class<T> type, List<? extends SpecificRecord> records) throws IOException {
        SpecificDatumWriter<T> datum = new SpecificDatumWriter<>(type);
        try (DataFileWriter<T> writer = new DataFileWriter<>(datum)) {
            writer.setCodec(CodecFactory.deflateCodec(6));
            writer.create(
                    org.apache.avro.specific.SpecificData.getForClass(type).getSchema(type),
                    Files.newOutputStream(file));
            for (SpecificRecord r : records) {
                writer.append(type.cast(r));
            }
        }
    }

    /**
     * Reads records written by an earlier version with today's classes: Avro resolves the file's
     * (writer's) schema against today's, so this also checks that the output schemas evolved
     * compatibly.
     */
    static <T extends SpecificRecord> List<T> readRecords(Path file, Class<T> type)
            throws IOException {
        List<T> records = new ArrayList<>();
        try (DataFileReader<T> reader =
                new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
            reader.forEach(records::add);
        }
        return records;
    }

    static String fileName(String topic) {
        return topic + ".avro";
    }
}
