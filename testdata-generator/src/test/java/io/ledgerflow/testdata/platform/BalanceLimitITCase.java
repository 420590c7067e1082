package io.ledgerflow.testdata.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerInvariants;
import io.ledgerflow.jobs.testutils.LedgerKafka.TopicReader;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.money.MinorUnits;
import io.ledgerflow.testdata.population.Account;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.HttpTarget;
import io.ledgerflow.testdata.target.KafkaTarget;
import io.ledgerflow.testdata.target.Outcome;
import io.ledgerflow.testdata.target.RequestJson;
import io.ledgerflow.testdata.testutils.InProcessApi;
import io.ledgerflow.testdata.testutils.RunningLedger;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "No input can stop the ledger or lose money", end to end on the real servers: the
 * ingest API in this JVM, the ledger job on a MiniCluster, real Kafka and schema registry.
 *
 * <p>Partner A drives one account past the largest 64-bit balance through the API (deposits of the
 * API's maximum amount, through its batch route, each item accepted with 202), and an upstream
 * producer writes a single deposit of {@code Long.MAX_VALUE} minor units straight to {@code
 * ledger.requests} (the API's limit does not bind it) into another of A's accounts, one that
 * already holds money, so it cannot fit. Then partner B does ordinary business through the API.
 * Every request of A must get exactly one decision (the ones past the limit {@code REJECTED} with
 * {@code BALANCE_LIMIT_EXCEEDED}), B's movements must complete within a liveness bound, the
 * ledger's committed entries and account states must add up, and the job must never have restarted:
 * a refusal, not a crash loop that halts every partner.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class BalanceLimitITCase {

    private static final String PREFIX = "it-limit-";

    /** How long B's ordinary traffic may take to be decided: generous, a liveness bound. */
    private static final Duration LIVENESS = Duration.ofSeconds(60);

    /** The flood goes through the API's batch route, this many movements a request. */
    private static final int BATCH_SIZE = 500;

    private static final int BATCHES_IN_FLIGHT = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path checkpoints;

    @Test
    void aBalancePastTheLongRangeIsRefusedAndEveryPartnerKeepsBeingServed(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Population population =
                Population.generate(
                        GeneratorSettings.defaults().toBuilder()
                                .partners(2)
                                .accountsPerPartner(2)
                                .currencies(List.of("EUR"))
                                .namespace("it-limit")
                                .build());
        String partnerA = population.partners().get(0).id();
        String partnerB = population.partners().get(1).id();
        List<Account> accountsA = accountsOf(population, partnerA);
        List<Account> accountsB = accountsOf(population, partnerB);
        Account flooded = accountsA.get(0);
        Account funded = accountsA.get(1);

        // The API's largest amount, and how many of them a 64-bit balance holds (9,223).
        long maxAmount = MinorUnits.DEFAULT_MAXIMUM_MINOR;
        int fitting = (int) (Long.MAX_VALUE / maxAmount);
        int floodSize = fitting + 77;

        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX)
                        .withCheckpoints(Duration.ofMillis(500), checkpoints.toUri().toString());
        try (RunningLedger ledger = RunningLedger.start(config, 2);
                InProcessApi api =
                        InProcessApi.start(
                                kafka,
                                registry,
                                ApiKeys.parse(population.apiKeysFileLines(), "generated keys"),
                                config.topicPrefix());
                HttpTarget http = new HttpTarget(api.url(), population, Duration.ofSeconds(30));
                KafkaTarget upstream =
                        new KafkaTarget(
                                kafka.bootstrapServers(), registry.url(), config.requestsTopic());
                TopicReader<TransactionResult> results =
                        ledger.topics.reader(Topics.TRANSACTION_RESULTS, TransactionResult.class)) {
            for (AccountOpening opening : population.openings()) {
                assertAccepted(http.send(opening).join(), opening.accountId());
            }
            // Long.MAX_VALUE fits an empty account, so A's second account must hold money before
            // the upstream deposit arrives; decided first, because the ledger's gate may reorder
            // one account's requests. This also proves the set-up before anything overflows.
            Movement seed = deposit("a-seed", funded, 100);
            assertAccepted(http.send(seed).join(), seed.transactionId());
            assertThat(awaitDecided(results, Set.of(seed.transactionId()), LIVENESS))
                    .as("the first deposit decided")
                    .isTrue();

            // (a) Through the API, in batches several at a time: each deposit within the API's
            // limit.
            List<Movement> flood = new ArrayList<>();
            for (int i = 0; i < floodSize; i++) {
                flood.add(deposit("a-flood-" + i, flooded, maxAmount));
            }
            long floodStarted = System.nanoTime();
            List<String> refusedByApi =
                    sendInBatches(api.url(), population.partner(partnerA).apiKey(), flood);
            System.out.printf(
                    "%d deposits of %d through the API in %d ms%n",
                    floodSize, maxAmount, (System.nanoTime() - floodStarted) / 1_000_000);
            assertThat(refusedByApi).as("flood deposits the API did not accept").isEmpty();

            // (b) Straight to Kafka, as an upstream system would: the API's limit does not bind.
            Movement huge = deposit("a-upstream-max", funded, Long.MAX_VALUE);
            assertAccepted(upstream.send(huge).join(), huge.transactionId());
            upstream.flush();

            // (c) Partner B's ordinary business, each step after the one it depends on.
            long bStarted = System.nanoTime();
            Movement bDeposit = deposit("b-deposit", accountsB.get(0), 500_00);
            Movement bTransfer =
                    new Movement(
                            "b-transfer",
                            partnerB,
                            MovementType.TRANSFER,
                            accountsB.get(0).id(),
                            accountsB.get(1).id(),
                            null,
                            120_00,
                            "EUR",
                            null,
                            null,
                            null);
            assertAccepted(http.send(bDeposit).join(), bDeposit.transactionId());
            awaitDecided(results, Set.of(bDeposit.transactionId()), remaining(bStarted));
            assertAccepted(http.send(bTransfer).join(), bTransfer.transactionId());
            boolean bLive =
                    awaitDecided(results, Set.of(bTransfer.transactionId()), remaining(bStarted));
            System.out.printf(
                    "partner B decided: %s after %d ms%n",
                    bLive, (System.nanoTime() - bStarted) / 1_000_000);

            Set<String> idsA = new HashSet<>();
            idsA.add(seed.transactionId());
            idsA.add(huge.transactionId());
            flood.forEach(m -> idsA.add(m.transactionId()));
            // A's requests were all sent before B's; a healthy ledger has decided them by now.
            awaitDecided(results, idsA, ledger.restarts(cluster) == 0 ? LIVENESS : Duration.ZERO);

            assertThat(ledger.restarts(cluster))
                    .as(
                            "ledger job restarts (last failure: %s; B decided within %s: %s)",
                            ledger.lastFailure(cluster), LIVENESS, bLive)
                    .isZero();
            Set<String> allIds = new HashSet<>(idsA);
            allIds.add(bDeposit.transactionId());
            allIds.add(bTransfer.transactionId());
            LedgerInvariants.assertExactlyOneTerminalResult(results.records(), allIds);
            Map<String, TransactionResult> byId =
                    results.records().stream()
                            .collect(Collectors.toMap(TransactionResult::getTransactionId, r -> r));

            Map<String, Long> floodOutcomes =
                    flood.stream()
                            .map(m -> byId.get(m.transactionId()))
                            .collect(
                                    Collectors.groupingBy(
                                            r -> r.getStatus() + "/" + r.getReason(),
                                            Collectors.counting()));
            assertThat(floodOutcomes)
                    .as("the flood's decisions: all that fit completed, the rest refused")
                    .containsOnly(
                            Map.entry("COMPLETED/null", (long) fitting),
                            Map.entry(
                                    "REJECTED/" + ReasonCode.BALANCE_LIMIT_EXCEEDED,
                                    (long) (floodSize - fitting)));
            assertDecided(byId, seed, TransactionStatus.COMPLETED, null);
            assertDecided(
                    byId, huge, TransactionStatus.REJECTED, ReasonCode.BALANCE_LIMIT_EXCEEDED);
            assertDecided(byId, bDeposit, TransactionStatus.COMPLETED, null);
            assertDecided(byId, bTransfer, TransactionStatus.COMPLETED, null);

            // The money: entries chain and sum to zero (system accounts included) once the
            // instruction loop has carried the system legs; the balances are exactly what the
            // completed movements say, and the account states (what the read model mirrors) agree.
            Map<String, Long> expected =
                    Map.of(
                            flooded.id(),
                            fitting * maxAmount,
                            funded.id(),
                            100L,
                            accountsB.get(0).id(),
                            500_00L - 120_00L,
                            accountsB.get(1).id(),
                            120_00L);
            // One entry per completed movement touching the account; refusals post nothing.
            Map<String, Long> entryCounts =
                    Map.of(
                            flooded.id(), (long) fitting,
                            funded.id(), 1L,
                            accountsB.get(0).id(), 2L,
                            accountsB.get(1).id(), 1L);
            List<LedgerEntry> entries;
            try (TopicReader<LedgerEntry> reader =
                    ledger.topics.reader(Topics.LEDGER_ENTRIES, LedgerEntry.class)) {
                entries =
                        reader.readUntil(
                                read ->
                                        entryCountsPerAccount(read)
                                                        .entrySet()
                                                        .containsAll(entryCounts.entrySet())
                                                && sumsToZero(read),
                                LIVENESS);
            }
            Map<String, Long> balances = LedgerInvariants.assertLedgerConsistent(entries);
            assertThat(entryCountsPerAccount(entries)).containsAllEntriesOf(entryCounts);
            assertThat(balances).containsAllEntriesOf(expected);
            Map<String, AccountState> states;
            try (TopicReader<AccountState> reader =
                    ledger.topics.reader(Topics.ACCOUNT_STATES, AccountState.class)) {
                states = latestByAccount(reader.readToEnd());
            }
            for (Map.Entry<String, Long> account : expected.entrySet()) {
                assertThat(states.get(account.getKey()).getBalanceMinor())
                        .as("account state of %s", account.getKey())
                        .isEqualTo(account.getValue());
            }
        }
    }

    private static List<Account> accountsOf(Population population, String partnerId) {
        return population.accounts().stream().filter(a -> a.partnerId().equals(partnerId)).toList();
    }

    private static Movement deposit(String transactionId, Account into, long amountMinor) {
        return new Movement(
                transactionId,
                into.partnerId(),
                MovementType.DEPOSIT,
                null,
                into.id(),
                null,
                amountMinor,
                into.currency(),
                null,
                null,
                null);
    }

    private static void assertAccepted(Outcome outcome, String what) {
        assertThat(outcome.accepted()).as("%s accepted: %s", what, outcome.errorType()).isTrue();
    }

    /**
     * Sends the movements through the API's batch route, {@link #BATCHES_IN_FLIGHT} batches at a
     * time (one request per movement would take this 2-core machine most of a minute); returns
     * every item the API did not answer with 202.
     */
    private static List<String> sendInBatches(
            String apiUrl, String apiKey, List<Movement> movements) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore slots = new Semaphore(BATCHES_IN_FLIGHT);
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int from = 0; from < movements.size(); from += BATCH_SIZE) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode items = body.putArray("items");
            movements
                    .subList(from, Math.min(movements.size(), from + BATCH_SIZE))
                    .forEach(m -> items.add(RequestJson.movement(m)));
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/transactions:batch"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("X-Api-Key", apiKey)
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build();
            slots.acquire();
            sent.add(
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                            .whenComplete(
                                    (response, error) -> {
                                        slots.release();
                                        refused.addAll(notAccepted(response, error));
                                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        return refused;
    }

    private static List<String> notAccepted(HttpResponse<String> response, Throwable error) {
        if (error != null) {
            return List.of(error.toString());
        }
        if (response.statusCode() != 200) {
            return List.of("HTTP " + response.statusCode() + ": " + response.body());
        }
        List<String> refused = new ArrayList<>();
        try {
            for (JsonNode item : JSON.readTree(response.body()).path("items")) {
                if (item.path("status").asInt() != 202) {
                    refused.add(item.toString());
                }
            }
        } catch (IOException e) {
            refused.add("not JSON: " + response.body());
        }
        return refused;
    }

    /** Reads results until every id has a terminal one, or the timeout; says which. */
    private static boolean awaitDecided(
            TopicReader<TransactionResult> results, Set<String> ids, Duration timeout) {
        results.readUntil(read -> terminalIds(read).containsAll(ids), timeout);
        return terminalIds(results.records()).containsAll(ids);
    }

    private static Set<String> terminalIds(List<TransactionResult> results) {
        Set<String> ids = new HashSet<>();
        for (TransactionResult r : results) {
            if (r.getStatus() != TransactionStatus.HELD) {
                ids.add(r.getTransactionId());
            }
        }
        return ids;
    }

    private static Duration remaining(long startedNanos) {
        Duration left = LIVENESS.minusNanos(System.nanoTime() - startedNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static void assertDecided(
            Map<String, TransactionResult> byId,
            Movement movement,
            TransactionStatus status,
            ReasonCode reason) {
        TransactionResult result = byId.get(movement.transactionId());
        assertThat(result.getStatus())
                .as("status of %s", movement.transactionId())
                .isEqualTo(status);
        assertThat(result.getReason())
                .as("reason of %s", movement.transactionId())
                .isEqualTo(reason);
    }

    private static Map<String, Long> entryCountsPerAccount(List<LedgerEntry> entries) {
        return entries.stream()
                .collect(Collectors.groupingBy(LedgerEntry::getAccountId, Collectors.counting()));
    }

    /** Debits equal credits over everything read: no system leg is still in flight. */
    private static boolean sumsToZero(List<LedgerEntry> entries) {
        BigInteger sum = BigInteger.ZERO;
        for (LedgerEntry e : entries) {
            BigInteger amount = BigInteger.valueOf(e.getAmountMinor());
            sum =
                    e.getDirection() == EntryDirection.CREDIT
                            ? sum.add(amount)
                            : sum.subtract(amount);
        }
        return !entries.isEmpty() && sum.signum() == 0;
    }

    private static Map<String, AccountState> latestByAccount(List<AccountState> states) {
        Map<String, AccountState> latest = new HashMap<>();
        for (AccountState s : states) {
            latest.merge(s.getAccountId(), s, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
        }
        return latest;
    }
}
