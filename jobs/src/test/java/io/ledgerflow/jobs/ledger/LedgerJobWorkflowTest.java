package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.InstructionKind;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.ledger.LedgerJob.LedgerInputs;
import io.ledgerflow.jobs.ledger.LedgerJob.LedgerStreams;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroEncoder;
import io.ledgerflow.schemas.testutils.FakeSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ledger job's graph without Kafka: {@link LedgerJob#decode} and {@link
 * LedgerJob#defineWorkflow} on a MiniCluster, fed a bounded list of records as the sources would
 * read them (Confluent Avro, registered in an in-process registry), outputs read back through
 * collecting sinks.
 *
 * <p>One pass of the graph, without the instruction loop (in the deployed job the instructions come
 * back through Kafka): so a transfer ends here at its first leg, and what the test checks is that
 * no money is lost on the way. The debit posted at the source and the credit instruction sent to
 * the destination carry the same amount, and so do a deposit's credit and its system posting; a bad
 * request or fraud rule becomes a dead letter, a reused id with another payload too, a stray
 * instruction at a skipped position is dropped, and none of them stops the job. The transfer's
 * completion at its destination is {@code LedgerFunctionTest}'s (harness, instructions fed back by
 * hand) and {@code LedgerJobITCase}'s (through Kafka).
 */
class LedgerJobWorkflowTest {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 1);

    private static final String PARTNER = "p1";
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static FakeSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = FakeSchemaRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void aTransferLeavesItsSourceWithItsMoneyInFlightAndBadRequestsBecomeDeadLetters()
            throws Exception {
        LedgerJobConfig defaults = LedgerJobConfig.defaults();
        // A stray record on the ledger's own instruction loop, skipped by position as an operator
        // would (anywhere else it would stop the job).
        String strayInstruction = defaults.instructionsTopic() + "-0@0";
        LedgerJobConfig config =
                defaults.withKafka("127.0.0.1:9", registry.url())
                        .withSkippedInternalRecords(Set.of(strayInstruction));
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        List<KafkaRecordBytes> requests = new ArrayList<>();
        requests.add(request(config, open("acc-a"), 0));
        requests.add(request(config, open("acc-b"), 1));
        requests.add(
                request(config, movement(MovementType.DEPOSIT, "dep-1", null, "acc-a", 1_000), 2));
        requests.add(
                request(config, movement(MovementType.TRANSFER, "tr-1", "acc-a", "acc-b", 300), 3));
        // The same id again with another amount: the first one stands, this one is refused.
        requests.add(
                request(config, movement(MovementType.TRANSFER, "tr-1", "acc-a", "acc-b", 999), 4));
        requests.add(raw(config.requestsTopic(), 5, garbage));

        // Parallelism 1: one account's requests and the gate's answers keep their order, so the
        // outcome does not depend on scheduling.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.pipelineConfiguration());
        env.setParallelism(1);
        LedgerInputs in =
                LedgerJob.decode(
                        env.fromData(requests, KafkaRecordBytes.TYPE).uid("requests"),
                        env.fromData(
                                        KafkaRecordBytes.TYPE,
                                        raw(config.instructionsTopic(), 0, garbage))
                                .uid("instructions"),
                        env.fromData(
                                        KafkaRecordBytes.TYPE,
                                        raw(config.topic(Topics.FRAUD_RULES), 0, garbage))
                                .uid("fraud-rules"),
                        config);
        LedgerStreams out =
                LedgerJob.defineWorkflow(in.requests(), in.instructions(), in.fraudRules(), config);

        CloseableIterator<TransactionResult> results = out.results().collectAsync();
        CloseableIterator<LedgerEntry> entries = out.entries().collectAsync();
        CloseableIterator<LedgerInstruction> instructions = out.instructions().collectAsync();
        CloseableIterator<AccountCommandResult> commands = out.commandResults().collectAsync();
        CloseableIterator<DeadLetter> deadLetters =
                out.deadLetters().union(in.undecodable()).collectAsync();
        env.execute("ledger workflow");

        assertThat(drain(commands))
                .extracting(AccountCommandResult::getAccepted)
                .containsExactly(true, true);
        assertThat(drain(results))
                .as("the deposit is decided at once; the transfer waits for its credit leg")
                .extracting(TransactionResult::getTransactionId, TransactionResult::getStatus)
                .containsExactly(tuple("dep-1", TransactionStatus.COMPLETED));

        List<LedgerEntry> posted = drain(entries);
        assertThat(posted)
                .extracting(
                        LedgerEntry::getAccountId,
                        LedgerEntry::getTransactionId,
                        LedgerEntry::getDirection,
                        LedgerEntry::getAmountMinor,
                        LedgerEntry::getBalanceAfterMinor)
                .containsExactly(
                        tuple("acc-a", "dep-1", EntryDirection.CREDIT, 1_000L, 1_000L),
                        tuple("acc-a", "tr-1", EntryDirection.DEBIT, 300L, 700L));

        // Each posting's other side is in flight, for the same amount, to the right account.
        assertThat(drain(instructions))
                .extracting(
                        i -> i.getMovement().getTransactionId(),
                        LedgerInstruction::getKind,
                        LedgerInstruction::getAmountMinor)
                .containsExactlyInAnyOrder(
                        tuple("dep-1", InstructionKind.SYSTEM_POSTING, 1_000L),
                        tuple("tr-1", InstructionKind.CREDIT, 300L));

        assertThat(drain(deadLetters))
                .extracting(DeadLetter::getReason, DeadLetter::getSourceTopic)
                .containsExactlyInAnyOrder(
                        tuple(ReasonCode.DUPLICATE_TRANSACTION.name(), config.requestsTopic()),
                        tuple("NOT_CONFLUENT_AVRO", config.requestsTopic()),
                        tuple("NOT_CONFLUENT_AVRO", config.topic(Topics.FRAUD_RULES)));
    }

    private static LedgerRequest open(String account) {
        return new LedgerRequest(
                AccountCommand.newBuilder()
                        .setCommandId("open-" + account)
                        .setPartnerId(PARTNER)
                        .setAccountId(account)
                        .setType(AccountCommandType.OPEN)
                        .setCurrency("EUR")
                        .setAccountType(AccountType.CUSTOMER)
                        .setOverdraftLimitMinor(0L)
                        .setEventTime(T0)
                        .setReceivedTime(T0)
                        .build());
    }

    private static LedgerRequest movement(
            MovementType type, String id, String from, String to, long amount) {
        return new LedgerRequest(
                MoneyMovement.newBuilder()
                        .setTransactionId(id)
                        .setPartnerId(PARTNER)
                        .setType(type)
                        .setSourceAccountId(from)
                        .setDestinationAccountId(to)
                        .setAmountMinor(amount)
                        .setCurrency("EUR")
                        .setEventTime(T0.plusSeconds(1))
                        .setReceivedTime(T0.plusSeconds(1))
                        .build());
    }

    private static KafkaRecordBytes request(
            LedgerJobConfig config, LedgerRequest request, long offset) {
        ConfluentAvroEncoder<LedgerRequest> encoder =
                ConfluentAvroEncoder.forTopic(
                        SchemaRegistryClient.forUrl(registry.url()),
                        config.requestsTopic(),
                        LedgerRequest.class);
        return raw(config.requestsTopic(), offset, encoder.encode(request));
    }

    private static KafkaRecordBytes raw(String topic, long offset, byte[] value) {
        KafkaRecordBytes record = KafkaRecordBytes.of(topic, null, value);
        record.partition = 0;
        record.offset = offset;
        return record;
    }

    private static <T> List<T> drain(CloseableIterator<T> results) throws Exception {
        List<T> all = new ArrayList<>();
        try (results) {
            results.forEachRemaining(all::add);
        }
        return all;
    }
}
