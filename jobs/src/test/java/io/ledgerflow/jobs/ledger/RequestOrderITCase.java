package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One account's requests are decided in the order they were accepted (their order on the requests
 * topic), end to end through the ledger job at parallelism 2 with the real Kafka broker and schema
 * registry, while a reused id naming another account is still caught.
 *
 * <p>Every account runs cycles of deposit 10, hold 10, void that hold, withdraw 10 with no
 * overdraft: in order, every one of them succeeds; any swap refuses something (a withdrawal or hold
 * before its deposit for funds, a void before its hold as not found). The requests of different
 * accounts are interleaved, and their ids spread over both idempotency gate instances, which is
 * what used to reorder them.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class RequestOrderITCase {

    private static final int ACCOUNTS = 100;
    private static final int CYCLES = 10;
    private static final String PARTNER = "p1";

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    @TempDir Path checkpoints;

    private long clock = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli();

    @Test
    void oneAccountsRequestsAreDecidedInTheOrderTheyWereAccepted(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-order-")
                        .withCheckpoints(Duration.ofMillis(500), checkpoints.toUri().toString());
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(4);

        List<LedgerRequest> requests = new ArrayList<>();
        Map<String, List<String>> postingOrder = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        Set<String> holdIds = new HashSet<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            requests.add(open(account(a)));
            postingOrder.put(account(a), new ArrayList<>());
        }
        for (int c = 0; c < CYCLES; c++) {
            for (int step = 0; step < 4; step++) {
                for (int a = 0; a < ACCOUNTS; a++) {
                    String account = account(a);
                    String id = "a" + a + "-c" + c + "-s" + step;
                    MoneyMovement.Builder m =
                            switch (step) {
                                case 0 ->
                                        movement(MovementType.DEPOSIT, id, 10)
                                                .setDestinationAccountId(account);
                                case 1 ->
                                        movement(MovementType.HOLD, id, 10)
                                                .setSourceAccountId(account);
                                case 2 ->
                                        movement(MovementType.VOID, id, 0)
                                                .setSourceAccountId(account)
                                                .setRelatedTransactionId(
                                                        "a" + a + "-c" + c + "-s1");
                                default ->
                                        movement(MovementType.WITHDRAWAL, id, 10)
                                                .setSourceAccountId(account);
                            };
                    requests.add(new LedgerRequest(m.build()));
                    ids.add(id);
                    if (step == 1) {
                        holdIds.add(id);
                    }
                    if (step == 0 || step == 3) {
                        postingOrder.get(account).add(id);
                    }
                }
            }
        }
        // Malformed: a transfer that names no source has no account to be ordered at. Refused,
        // and it stops nothing.
        requests.add(
                new LedgerRequest(
                        movement(MovementType.TRANSFER, "no-source", 10)
                                .setDestinationAccountId(account(0))
                                .build()));
        // Later, the first deposit id of account 1 reused (different payload) at account 0. (Sent
        // once the original is decided: requests on different partitions have no order between
        // them, so "the first one" is the one the gate saw first.)
        String reused = "a1-c0-s0";
        LedgerRequest reuse =
                new LedgerRequest(
                        movement(MovementType.DEPOSIT, reused, 999)
                                .setDestinationAccountId(account(0))
                                .build());

        // Written before the job starts: the job reads the topic from its beginning, so the order
        // it sees is the same, and the whole input is there when it begins.
        topics.produce(requests);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.clusterConfiguration(config));
        JobClient job = new LedgerJob(config).start(env);
        try (var results = topics.reader(Topics.TRANSACTION_RESULTS, TransactionResult.class);
                var entries = topics.reader(Topics.LEDGER_ENTRIES, LedgerEntry.class);
                var dead = topics.reader(Topics.DEAD_LETTERS, DeadLetter.class)) {

            results.readUntil(
                    rs ->
                            finalStatuses(rs).keySet().containsAll(ids)
                                    && finalStatuses(rs).containsKey("no-source"),
                    Duration.ofMinutes(4));
            topics.produce(List.of(reuse));
            dead.readUntil(ds -> !ds.isEmpty(), Duration.ofMinutes(1));
            entries.readUntil(es -> es.size() >= ACCOUNTS * CYCLES * 2, Duration.ofMinutes(1));
            results.readToEnd();
            entries.readToEnd();

            Map<String, TransactionResult> decided = finalStatuses(results.records());
            List<TransactionResult> refused =
                    results.records().stream()
                            .filter(r -> r.getStatus() == TransactionStatus.REJECTED)
                            .toList();
            assertThat(refused)
                    .as("in order, nothing is refused but the malformed transfer")
                    .singleElement()
                    .satisfies(r -> assertThat(r.getTransactionId()).isEqualTo("no-source"));
            for (String id : ids) {
                assertThat(decided.get(id).getStatus())
                        .as(id)
                        .isEqualTo(
                                holdIds.contains(id)
                                        ? TransactionStatus.VOIDED
                                        : TransactionStatus.COMPLETED);
            }
            Map<String, List<String>> posted =
                    entries.records().stream()
                            .filter(e -> postingOrder.containsKey(e.getAccountId()))
                            .sorted(Comparator.comparingLong(LedgerEntry::getSequence))
                            .collect(
                                    Collectors.groupingBy(
                                            LedgerEntry::getAccountId,
                                            Collectors.mapping(
                                                    LedgerEntry::getTransactionId,
                                                    Collectors.toList())));
            assertThat(posted)
                    .as("each account's postings in the order its requests were accepted")
                    .isEqualTo(postingOrder);

            assertThat(dead.records())
                    .filteredOn(d -> d.getReason().equals(ReasonCode.DUPLICATE_TRANSACTION.name()))
                    .singleElement()
                    .satisfies(d -> assertThat(d.getDetail()).contains(reused));
            assertThat(results.records())
                    .filteredOn(r -> r.getTransactionId().equals(reused))
                    .as("the reuse changed nothing: the first one stands")
                    .singleElement()
                    .satisfies(r -> assertThat(r.getDestinationAccountId()).isEqualTo(account(1)));
        } finally {
            FlinkJobs.cancelAndWait(job);
        }
    }

    /** The latest status of each transaction: a hold's VOIDED replaces its HELD. */
    private static Map<String, TransactionResult> finalStatuses(List<TransactionResult> results) {
        Map<String, TransactionResult> latest = new HashMap<>();
        for (TransactionResult r : results) {
            latest.merge(
                    r.getTransactionId(),
                    r,
                    (old, now) -> old.getStatus() == TransactionStatus.HELD ? now : old);
        }
        latest.values().removeIf(r -> r.getStatus() == TransactionStatus.HELD);
        return latest;
    }

    private static String account(int a) {
        return "order-" + a;
    }

    private LedgerRequest open(String account) {
        return new LedgerRequest(
                AccountCommand.newBuilder()
                        .setCommandId("open-" + account)
                        .setPartnerId(PARTNER)
                        .setAccountId(account)
                        .setType(AccountCommandType.OPEN)
                        .setCurrency("EUR")
                        .setAccountType(AccountType.CUSTOMER)
                        .setOverdraftLimitMinor(0L)
                        .setEventTime(Instant.ofEpochMilli(clock))
                        .setReceivedTime(Instant.ofEpochMilli(clock))
                        .build());
    }

    private MoneyMovement.Builder movement(MovementType type, String id, long amount) {
        clock++;
        return MoneyMovement.newBuilder()
                .setTransactionId(id)
                .setPartnerId(PARTNER)
                .setType(type)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setEventTime(Instant.ofEpochMilli(clock))
                .setReceivedTime(Instant.ofEpochMilli(clock));
    }
}
