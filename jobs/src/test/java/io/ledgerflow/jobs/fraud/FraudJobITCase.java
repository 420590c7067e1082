package io.ledgerflow.jobs.fraud;

import static io.ledgerflow.jobs.fraud.FraudScreenHarness.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudMode;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.FraudRuleType;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerInvariants;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger job with its fraud screen on a MiniCluster at parallelism 2, with the real Kafka
 * broker and schema registry: each fraud pattern beside look-alike legitimate traffic, then a rule
 * change mid-stream (ALERT to BLOCK, a rule disabled, an invalid rule refused) without a restart,
 * and the ledger's invariants over everything committed.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class FraudJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    private static final String PARTNER = "p1";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final long FUNDING = 5_000_000;

    @TempDir Path checkpoints;

    private final List<LedgerRequest> batch = new ArrayList<>();
    private final Set<String> allIds = new HashSet<>();
    private int nextId;

    @Test
    void everyPatternAlertsLookAlikesDoNotAndARuleChangeTakesEffectMidStream(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-fraud-")
                        .withCheckpoints(Duration.ofMillis(500), checkpoints.toUri().toString());
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(4);
        publish(
                config,
                List.of(
                        rule(
                                "velocity",
                                FraudRuleType.VELOCITY,
                                FraudMode.ALERT,
                                1,
                                "window",
                                "10m",
                                "maxCount",
                                "3"),
                        rule(
                                "spike",
                                FraudRuleType.AMOUNT_SPIKE,
                                FraudMode.ALERT,
                                1,
                                "multiplier",
                                "10",
                                "minHistory",
                                "5"),
                        rule(
                                "fan-out",
                                FraudRuleType.FAN_OUT,
                                FraudMode.ALERT,
                                1,
                                "window",
                                "1h",
                                "maxNewCounterparties",
                                "3"),
                        rule(
                                "structuring",
                                FraudRuleType.STRUCTURING,
                                FraudMode.ALERT,
                                1,
                                "window",
                                "24h",
                                "thresholdMinor",
                                "1000000",
                                "minCount",
                                "3"),
                        rule(
                                "rapid",
                                FraudRuleType.RAPID_IN_OUT,
                                FraudMode.ALERT,
                                1,
                                "window",
                                "10m",
                                "minAmountMinor",
                                "100000"),
                        rule(
                                "dormant",
                                FraudRuleType.DORMANT_REACTIVATION,
                                FraudMode.ALERT,
                                1,
                                "dormantFor",
                                "90d",
                                "minAmountMinor",
                                "10000")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.clusterConfiguration(config));
        JobClient job = new LedgerJob(config).start(env);
        try (var results = topics.reader(Topics.TRANSACTION_RESULTS, TransactionResult.class);
                var alerts = topics.reader(Topics.FRAUD_ALERTS, FraudAlert.class);
                var entries = topics.reader(Topics.LEDGER_ENTRIES, LedgerEntry.class);
                var dead = topics.reader(Topics.DEAD_LETTERS, DeadLetter.class);
                var commandResults =
                        topics.reader(Topics.ACCOUNT_COMMAND_RESULTS, AccountCommandResult.class)) {
            awaitRulesInForce(config);

            // Accounts, funded a day before the story starts.
            List<String> actors =
                    List.of(
                            "mallory-v",
                            "alice-v",
                            "mallory-s",
                            "alice-s",
                            "mallory-f",
                            "alice-f",
                            "mallory-st",
                            "alice-st",
                            "victim",
                            "mule",
                            "employer",
                            "alice-r",
                            "mallory-b",
                            "alice-b",
                            "mallory-st2");
            // Each batch waits for the previous one's results: the idempotency gate re-partitions
            // by id, so requests of one account sent together may reach it in any order.
            List<String> opened = new ArrayList<>(actors);
            opened.addAll(List.of("shop", "abroad", "landlord"));
            for (int i = 0; i < 4; i++) {
                opened.add("fan-m-" + i);
                opened.add("fan-a-" + i);
            }
            for (String a : opened) {
                open(a, T0.minus(Duration.ofDays(1)));
            }
            open("sleeper", T0.minus(Duration.ofDays(200)));
            open("alice-d", T0.minus(Duration.ofDays(200)));
            topics.produce(batch);
            batch.clear();
            commandResults.readUntil(rs -> rs.size() >= opened.size() + 2, Duration.ofSeconds(60));
            assertThat(commandResults.records()).hasSize(opened.size() + 2);
            for (String a : actors) {
                deposit(a, FUNDING, T0.minus(Duration.ofDays(1)));
            }
            deposit("sleeper", FUNDING, T0.minus(Duration.ofDays(1)));
            deposit("alice-d", FUNDING, T0.minus(Duration.ofDays(1)));
            withdraw("alice-d", 20_000, T0.minus(Duration.ofDays(140)));
            send(topics, results);

            // History first: amount spikes and dormancy are judged against what came before.
            for (int i = 0; i < 5; i++) {
                transfer("mallory-s", "shop", 2_000, minutes(20L * i));
                transfer("alice-s", "shop", 2_000, minutes(20L * i));
            }
            withdraw("alice-d", 20_000, T0.minus(Duration.ofDays(70)));
            send(topics, results);

            // Phase 1, every rule in ALERT mode: each pattern beside a look-alike.
            Map<String, String> fourth = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                // 10 in 9 min: the 4th and every later one match (a storm of 7 matches)
                String v = transfer("mallory-v", "shop", 10_000, minutes(i));
                if (i == 3) {
                    fourth.put("mallory-v", v);
                }
            }
            for (int i = 0; i < 4; i++) {
                transfer("alice-v", "shop", 10_000, minutes(5L * i)); // 4 in 15 min
                transfer("mallory-f", "fan-m-" + i, 1_000, minutes(5L * i)); // 4 new in 15 min
                transfer("alice-f", "fan-a-" + i, 1_000, minutes(30L * i)); // 4 new in 90 min
            }
            transfer("mallory-s", "shop", 50_000, minutes(100)); // 25 times the average
            transfer("alice-s", "shop", 15_000, minutes(100)); // 7.5 times
            withdraw("mallory-st", 980_000, minutes(0));
            withdraw("mallory-st", 950_000, minutes(180));
            withdraw("mallory-st", 999_999, minutes(420)); // three just under 10,000.00
            withdraw("alice-st", 980_000, minutes(0));
            withdraw("alice-st", 500_000, minutes(180));
            withdraw("alice-st", 1_200_000, minutes(420));
            transfer("victim", "mule", 200_000, minutes(0));
            transfer("employer", "alice-r", 200_000, minutes(0));
            withdraw("alice-d", 50_000, T0); // in regular use
            withdraw("sleeper", 50_000, T0); // 200 days after opening
            send(topics, results);
            // Sent on after the money arrived (the inflow is seen when its transfer is).
            transfer("mule", "abroad", 190_000, minutes(2));
            transfer("alice-r", "landlord", 190_000, minutes(120));
            send(topics, results);

            // The storm is one alert: published at its first match, then revised (same id) until
            // it counts all seven; the revision comes within two revision intervals.
            alerts.readUntil(
                    as ->
                            as.stream()
                                    .anyMatch(
                                            a ->
                                                    a.getAccountId().equals("mallory-v")
                                                            && a.getMatches() == 7),
                    Duration.ofSeconds(60));
            List<FraudAlert> storm =
                    alerts.records().stream()
                            .filter(a -> a.getAccountId().equals("mallory-v"))
                            .toList();
            assertThat(storm)
                    .extracting(FraudAlert::getAlertId)
                    .containsOnly(storm.get(0).getAlertId());
            assertThat(storm.get(0).getMatches()).isEqualTo(1);
            assertThat(storm.get(0).getTransactionId()).isEqualTo(fourth.get("mallory-v"));
            assertThat(storm.get(storm.size() - 1).getMatches()).isEqualTo(7);
            assertThat(storm).as("publications of a 7-match storm").hasSizeLessThanOrEqualTo(3);
            Map<String, Set<String>> phase1 = rulesByAccount(alerts.readToEnd());
            assertThat(phase1)
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of(
                                    "mallory-v", Set.of("velocity"),
                                    "mallory-s", Set.of("spike"),
                                    "mallory-f", Set.of("fan-out"),
                                    "mallory-st", Set.of("structuring"),
                                    "mule", Set.of("rapid"),
                                    "sleeper", Set.of("dormant")));
            assertThat(alerts.records())
                    .allSatisfy(
                            a -> {
                                assertThat(a.getBlocked()).isFalse();
                                assertThat(a.getExplanation()).isNotBlank();
                                assertThat(a.getTriggeringTransactionIds())
                                        .contains(a.getTransactionId());
                            });
            // ALERT mode: the movement that completed the burst went through.
            assertThat(resultOf(results.records(), fourth.get("mallory-v")).getStatus())
                    .isEqualTo(TransactionStatus.COMPLETED);

            // Phase 2, mid-stream: velocity now blocks, structuring is off, a bad rule is refused.
            FraudRule structuringOff =
                    rule(
                            "structuring",
                            FraudRuleType.STRUCTURING,
                            FraudMode.ALERT,
                            2,
                            "window",
                            "24h",
                            "thresholdMinor",
                            "1000000",
                            "minCount",
                            "3");
            structuringOff.setEnabled(false);
            publish(
                    config,
                    List.of(
                            rule(
                                    "velocity",
                                    FraudRuleType.VELOCITY,
                                    FraudMode.BLOCK,
                                    2,
                                    "window",
                                    "10m",
                                    "maxCount",
                                    "3"),
                            structuringOff,
                            rule(
                                    "broken",
                                    FraudRuleType.FAN_OUT,
                                    FraudMode.BLOCK,
                                    1,
                                    "window",
                                    "1h")));
            awaitRulesInForce(config);
            int alertsBefore = alerts.records().size();
            List<String> burst = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                burst.add(transfer("mallory-b", "shop", 10_000, minutes(i)));
                transfer("alice-b", "shop", 10_000, minutes(5L * i));
            }
            withdraw("mallory-st2", 980_000, minutes(0));
            withdraw("mallory-st2", 950_000, minutes(180));
            withdraw("mallory-st2", 999_999, minutes(420));
            send(topics, results);

            List<FraudAlert> phase2 =
                    alerts.readToEnd().subList(alertsBefore, alerts.records().size());
            assertThat(phase2)
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.getAccountId()).isEqualTo("mallory-b");
                                assertThat(a.getRuleId()).isEqualTo("velocity");
                                assertThat(a.getRuleVersion()).isEqualTo(2);
                                assertThat(a.getBlocked()).isTrue();
                            });
            // Whichever of the burst arrived last completed the pattern and was blocked.
            String blockedId = phase2.get(0).getTransactionId();
            assertThat(burst).contains(blockedId);
            assertThat(phase2.get(0).getTriggeringTransactionIds())
                    .containsExactlyInAnyOrderElementsOf(burst);
            TransactionResult blocked = resultOf(results.records(), blockedId);
            assertThat(blocked.getStatus()).isEqualTo(TransactionStatus.REJECTED);
            assertThat(blocked.getReason()).isEqualTo(ReasonCode.FRAUD_SUSPECTED);
            assertThat(dead.readToEnd())
                    .anySatisfy(
                            d -> {
                                assertThat(d.getReason()).isEqualTo(FraudScreen.INVALID_RULE);
                                assertThat(d.getDetail()).contains("fraud rule broken v1 refused");
                            });

            // Every ledger invariant, over everything committed, blocked movement included.
            awaitQuiet(entries);
            LedgerInvariants.assertExactlyOneTerminalResult(results.readToEnd(), allIds);
            Map<String, Long> balances = LedgerInvariants.assertLedgerConsistent(entries.records());
            final String blockedTx = blockedId;
            assertThat(entries.records()).noneMatch(e -> e.getTransactionId().equals(blockedTx));
            balances.forEach(
                    (account, balance) -> {
                        if (!account.startsWith("SYSTEM-")) {
                            assertThat(balance).as("balance of %s", account).isNotNegative();
                        }
                    });
            // mallory-b sent three transfers, not four.
            assertThat(balances.get("mallory-b")).isEqualTo(FUNDING - 3 * 10_000);
            assertThat(
                            entries.records().stream()
                                    .filter(e -> e.getAccountId().equals("mallory-b"))
                                    .filter(e -> e.getDirection() == EntryDirection.DEBIT)
                                    .count())
                    .isEqualTo(3);
        } finally {
            FlinkJobs.cancelAndWait(job);
        }
    }

    private static Instant minutes(long n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    private static Map<String, Set<String>> rulesByAccount(List<FraudAlert> alerts) {
        return alerts.stream()
                .collect(
                        Collectors.groupingBy(
                                FraudAlert::getAccountId,
                                TreeMap::new,
                                Collectors.mapping(FraudAlert::getRuleId, Collectors.toSet())));
    }

    private static TransactionResult resultOf(List<TransactionResult> results, String id) {
        return results.stream()
                .filter(r -> r.getTransactionId().equals(id))
                .filter(r -> r.getStatus() != TransactionStatus.HELD)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + id));
    }

    private static void publish(LedgerJobConfig config, List<FraudRule> rules) {
        FraudRulesCommand.publish(
                config.bootstrapServers(),
                config.schemaRegistryUrl(),
                config.topic(Topics.FRAUD_RULES),
                rules);
    }

    /**
     * Waits until the job has committed its rules source's offsets up to the end of the topic. A
     * source commits offsets when a checkpoint completes, and a checkpoint completes only after
     * every fraud screen instance processed what came before its barrier: then each instance holds
     * every published rule.
     */
    private static void awaitRulesInForce(LedgerJobConfig config) throws Exception {
        String topic = config.topic(Topics.FRAUD_RULES);
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                config.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (var p :
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic)
                            .partitions()) {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new LinkedHashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> end.put(tp, info.offset()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(config.consumerGroup())
                                .partitionsToOffsetAndMetadata()
                                .get(30, TimeUnit.SECONDS);
                boolean caughtUp =
                        end.entrySet().stream()
                                .allMatch(
                                        e ->
                                                e.getValue() == 0
                                                        || (committed.get(e.getKey()) != null
                                                                && committed
                                                                                .get(e.getKey())
                                                                                .offset()
                                                                        >= e.getValue()));
                if (caughtUp) {
                    return;
                }
                assertThat(System.nanoTime()).as("rules in force in time").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** Sends the batch and waits until each of its movements has its terminal result. */
    private void send(LedgerKafka topics, LedgerKafka.TopicReader<TransactionResult> results) {
        Set<String> ids = new HashSet<>();
        for (LedgerRequest r : batch) {
            if (r.getRequest() instanceof MoneyMovement m) {
                ids.add(m.getTransactionId());
            }
        }
        topics.produce(batch);
        batch.clear();
        List<TransactionResult> seen =
                results.readUntil(
                        rs ->
                                rs.stream()
                                        .filter(r -> r.getStatus() != TransactionStatus.HELD)
                                        .map(TransactionResult::getTransactionId)
                                        .collect(Collectors.toSet())
                                        .containsAll(ids),
                        Duration.ofSeconds(60));
        assertThat(seen.stream().map(TransactionResult::getTransactionId).toList())
                .as("results of the batch")
                .containsAll(ids);
    }

    /** Waits until no new ledger entries arrive for a few checkpoints: the loop is drained. */
    private static void awaitQuiet(LedgerKafka.TopicReader<LedgerEntry> entries) {
        int seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
            int now = entries.readUntil(e -> false, Duration.ofMillis(500)).size();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private void open(String account, Instant at) {
        batch.add(
                new LedgerRequest(
                        AccountCommand.newBuilder()
                                .setCommandId("open-" + account)
                                .setPartnerId(PARTNER)
                                .setAccountId(account)
                                .setType(AccountCommandType.OPEN)
                                .setCurrency("EUR")
                                .setAccountType(AccountType.CUSTOMER)
                                .setEventTime(at)
                                .setReceivedTime(at)
                                .build()));
    }

    private String deposit(String to, long amount, Instant at) {
        return move(MovementType.DEPOSIT, null, to, amount, at);
    }

    private String withdraw(String from, long amount, Instant at) {
        return move(MovementType.WITHDRAWAL, from, null, amount, at);
    }

    private String transfer(String from, String to, long amount, Instant at) {
        return move(MovementType.TRANSFER, from, to, amount, at);
    }

    private String move(MovementType type, String from, String to, long amount, Instant at) {
        String id = "tx-" + (++nextId);
        batch.add(
                new LedgerRequest(
                        MoneyMovement.newBuilder()
                                .setTransactionId(id)
                                .setPartnerId(PARTNER)
                                .setType(type)
                                .setSourceAccountId(from)
                                .setDestinationAccountId(to)
                                .setAmountMinor(amount)
                                .setCurrency("EUR")
                                .setEventTime(at)
                                .setReceivedTime(at)
                                .build()));
        allIds.add(id);
        return id;
    }
}
