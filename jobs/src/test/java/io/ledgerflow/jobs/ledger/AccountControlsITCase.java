package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.jobs.testutils.LedgerOutcome;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account and hold controls through the whole job (real Kafka and schema registry, parallelism 2):
 * an overdraft limit changed by command is what the next withdrawal is decided against, a lower
 * limit than the account uses is refused, and a hold with its own expiry expires at its own time
 * while a hold without one keeps the job's default. Every invariant holds over what was committed,
 * the overdraft check following the limit in force at each posting.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class AccountControlsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    private static final String PARTNER = LedgerWorkload.PARTNER;

    @TempDir Path checkpoints;

    private final AtomicLong ids = new AtomicLong();

    @Test
    void limitChangesAreDecidedInOrderAndHoldsExpireAtTheirOwnTime(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        // A long default, so that a hold without its own expiry is still open at the end.
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-controls-")
                        .withHoldExpiry(Duration.ofMinutes(10))
                        .withCheckpoints(Duration.ofMillis(200), checkpoints.toUri().toString());
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(2);
        LedgerWorkload workload = LedgerWorkload.scripted();
        workload.setup.add(command("alice", AccountCommandType.OPEN, "open-alice", 0));
        workload.setup.add(command("bob", AccountCommandType.OPEN, "open-bob", 0));
        workload.overdraftLimits.put("alice", 0L);
        workload.overdraftLimits.put("bob", 0L);
        MoneyMovement fundAlice = track(workload, deposit("alice", 1_000));
        MoneyMovement fundBob = track(workload, deposit("bob", 10_000));
        MoneyMovement tooMuch = track(workload, withdrawal("alice", 1_500));
        LedgerRequest raise =
                command("alice", AccountCommandType.SET_OVERDRAFT_LIMIT, "raise", 1_000);
        MoneyMovement allowedNow = track(workload, withdrawal("alice", 1_500)); // balance -500
        LedgerRequest lowerBelowUse =
                command("alice", AccountCommandType.SET_OVERDRAFT_LIMIT, "lower-too-far", 499);
        LedgerRequest lowerToUse =
                command("alice", AccountCommandType.SET_OVERDRAFT_LIMIT, "lower-to-use", 500);
        MoneyMovement oneCentMore = track(workload, withdrawal("alice", 1));
        MoneyMovement shortHold = hold("bob", 2_000, 3_000L);
        MoneyMovement defaultHold = hold("bob", 3_000, null);
        workload.transactionIds.add(shortHold.getTransactionId());
        workload.movements.addAll(
                List.of(
                        new LedgerRequest(fundAlice),
                        new LedgerRequest(fundBob),
                        new LedgerRequest(tooMuch),
                        raise,
                        new LedgerRequest(allowedNow),
                        lowerBelowUse,
                        lowerToUse,
                        new LedgerRequest(oneCentMore),
                        new LedgerRequest(shortHold),
                        new LedgerRequest(defaultHold)));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.clusterConfiguration(config));
        JobClient job = new LedgerJob(config).start(env);
        try {
            topics.produce(workload.setup);
            topics.produce(workload.movements);

            LedgerOutcome outcome =
                    LedgerOutcome.await(topics, workload.transactionIds, Duration.ofMinutes(2));

            assertThat(statusOf(outcome, tooMuch)).isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);
            assertThat(finalResult(outcome, allowedNow).getStatus())
                    .isEqualTo(TransactionStatus.COMPLETED);
            assertThat(statusOf(outcome, oneCentMore)).isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);
            try (var commandResults =
                    topics.reader(Topics.ACCOUNT_COMMAND_RESULTS, AccountCommandResult.class)) {
                List<AccountCommandResult> decided =
                        commandResults.readUntil(rs -> rs.size() >= 5, Duration.ofSeconds(30));
                assertThat(decided)
                        .filteredOn(r -> r.getType() == AccountCommandType.SET_OVERDRAFT_LIMIT)
                        .extracting(AccountCommandResult::getCommandId, r -> r.getReason())
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple("raise", null),
                                org.assertj.core.groups.Tuple.tuple(
                                        "lower-too-far", ReasonCode.OVERDRAFT_IN_USE),
                                org.assertj.core.groups.Tuple.tuple("lower-to-use", null));
            }
            AccountState alice = latest(outcome, "alice");
            assertThat(alice.getBalanceMinor()).isEqualTo(-500);
            assertThat(alice.getOverdraftLimitMinor()).isEqualTo(500);

            // The short hold expired after its own 3 s, not the default 10 min.
            TransactionResult held = result(outcome, shortHold, TransactionStatus.HELD);
            TransactionResult expired = result(outcome, shortHold, TransactionStatus.EXPIRED);
            long lived =
                    expired.getDecisionTime().toEpochMilli()
                            - held.getDecisionTime().toEpochMilli();
            assertThat(lived).isBetween(3_000L, 60_000L);
            assertThat(expired.getReason()).isEqualTo(ReasonCode.HOLD_EXPIRED);
            // The hold without its own expiry is still open: only HELD so far.
            assertThat(outcome.results)
                    .filteredOn(r -> r.getTransactionId().equals(defaultHold.getTransactionId()))
                    .extracting(TransactionResult::getStatus)
                    .containsExactly(TransactionStatus.HELD);
            assertThat(latest(outcome, "bob").getHeldMinor()).isEqualTo(3_000);

            outcome.assertInvariants(workload);
        } finally {
            FlinkJobs.cancelAndWait(job);
        }
    }

    private static MoneyMovement track(LedgerWorkload workload, MoneyMovement m) {
        workload.transactionIds.add(m.getTransactionId());
        return m;
    }

    private static ReasonCode statusOf(LedgerOutcome outcome, MoneyMovement m) {
        TransactionResult r = finalResult(outcome, m);
        assertThat(r.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        return r.getReason();
    }

    private static TransactionResult finalResult(LedgerOutcome outcome, MoneyMovement m) {
        return outcome.results.stream()
                .filter(r -> r.getTransactionId().equals(m.getTransactionId()))
                .filter(r -> r.getStatus() != TransactionStatus.HELD)
                .findFirst()
                .orElseThrow();
    }

    private static TransactionResult result(
            LedgerOutcome outcome, MoneyMovement m, TransactionStatus status) {
        return outcome.results.stream()
                .filter(r -> r.getTransactionId().equals(m.getTransactionId()))
                .filter(r -> r.getStatus() == status)
                .findFirst()
                .orElseThrow();
    }

    private static AccountState latest(LedgerOutcome outcome, String account) {
        return outcome.accountStates.stream()
                .filter(s -> s.getAccountId().equals(account))
                .max(java.util.Comparator.comparingLong(AccountState::getVersion))
                .orElseThrow();
    }

    private LedgerRequest command(
            String account, AccountCommandType type, String commandId, long limit) {
        return new LedgerRequest(
                AccountCommand.newBuilder()
                        .setCommandId(commandId)
                        .setPartnerId(PARTNER)
                        .setAccountId(account)
                        .setType(type)
                        .setCurrency("EUR")
                        .setAccountType(
                                type == AccountCommandType.OPEN ? AccountType.CUSTOMER : null)
                        .setOverdraftLimitMinor(limit)
                        .setEventTime(Instant.now())
                        .setReceivedTime(Instant.now())
                        .build());
    }

    private MoneyMovement.Builder movement(MovementType type, long amount) {
        return MoneyMovement.newBuilder()
                .setTransactionId("ctl-" + ids.incrementAndGet())
                .setPartnerId(PARTNER)
                .setType(type)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setEventTime(Instant.now())
                .setReceivedTime(Instant.now());
    }

    private MoneyMovement deposit(String account, long amount) {
        return movement(MovementType.DEPOSIT, amount).setDestinationAccountId(account).build();
    }

    private MoneyMovement withdrawal(String account, long amount) {
        return movement(MovementType.WITHDRAWAL, amount).setSourceAccountId(account).build();
    }

    private MoneyMovement hold(String account, long amount, Long expiresInMillis) {
        return movement(MovementType.HOLD, amount)
                .setSourceAccountId(account)
                .setHoldExpiresInMillis(expiresInMillis)
                .build();
    }
}
