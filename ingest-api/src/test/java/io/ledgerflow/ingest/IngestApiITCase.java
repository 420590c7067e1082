package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API against the real Kafka broker and schema registry. */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class IngestApiITCase {

    private static RunningApi api;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry) {
        api = new RunningApi(kafka, registry);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static String transfer(String txId, String from, String to, String amount) {
        return "{\"transactionId\":\""
                + txId
                + "\",\"type\":\"TRANSFER\",\"sourceAccountId\":\""
                + from
                + "\",\"destinationAccountId\":\""
                + to
                + "\",\"amount\":\""
                + amount
                + "\",\"currency\":\"USD\"}";
    }

    @Test
    void acceptedTransferIsDurableAndDecodesWithTheRegisteredSchema() {
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        String txId = id("tx");
        String eventTime = Instant.now().minusSeconds(60).toString();
        String body =
                "{\"transactionId\":\""
                        + txId
                        + "\",\"type\":\"TRANSFER\",\"sourceAccountId\":\"acc-src-1\","
                        + "\"destinationAccountId\":\"acc-dst-1\",\"amount\":\"12.34\","
                        + "\"currency\":\"USD\",\"eventTime\":\""
                        + eventTime
                        + "\",\"metadata\":{\"reference\":\"invoice 7\"}}";

        Answer answer = api.client.post("/api/v1/transactions", KEY_A, body);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("transactionId").asText()).isEqualTo(txId);
        assertThat(answer.json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(answer.json().get("statusUrl").asText())
                .isEqualTo("/api/v1/transactions/" + txId);
        assertThat(answer.header("Location")).contains("/api/v1/transactions/" + txId);
        assertThat(answer.header("X-Request-Id")).isPresent();

        List<ConsumerRecord<String, LedgerRequest>> records = api.topic.readSince(before, 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, LedgerRequest> record = records.get(0);
        assertThat(record.key()).isEqualTo("acc-src-1");
        assertThat(record.value().getRequest()).isInstanceOf(MoneyMovement.class);
        MoneyMovement movement = (MoneyMovement) record.value().getRequest();
        assertThat(movement.getTransactionId()).isEqualTo(txId);
        assertThat(movement.getPartnerId()).isEqualTo("partner-a");
        assertThat(movement.getType()).isEqualTo(MovementType.TRANSFER);
        assertThat(movement.getSourceAccountId()).isEqualTo("acc-src-1");
        assertThat(movement.getDestinationAccountId()).isEqualTo("acc-dst-1");
        assertThat(movement.getAmountMinor()).isEqualTo(1234L);
        assertThat(movement.getCurrency()).isEqualTo("USD");
        assertThat(movement.getEventTime())
                .isEqualTo(
                        Instant.parse(eventTime).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(movement.getMetadata()).containsEntry("reference", "invoice 7");
        // Confluent wire format: magic byte 0 and a schema id the registry knows (decoding above
        // resolved it over REST).
        Answer status = api.client.get("/api/v1/transactions/" + txId, KEY_A);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(status.json().get("amount").asText()).isEqualTo("12.34");
    }

    @Test
    void recordsAreKeyedByTheAccountTheLedgerActsOnFirst() {
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        String deposit = id("dep");
        String refund = id("ref");
        String voidId = id("void");
        assertThat(
                        api.client
                                .post(
                                        "/api/v1/transactions",
                                        KEY_A,
                                        "{\"transactionId\":\""
                                                + deposit
                                                + "\",\"type\":\"DEPOSIT\",\"destinationAccountId\":\"acc-dep\",\"amount\":\"5\",\"currency\":\"JPY\"}")
                                .status())
                .isEqualTo(202);
        assertThat(
                        api.client
                                .post(
                                        "/api/v1/transactions",
                                        KEY_A,
                                        "{\"transactionId\":\""
                                                + refund
                                                + "\",\"type\":\"REFUND\",\"sourceAccountId\":\"merchant\",\"destinationAccountId\":\"payer\",\"relatedTransactionId\":\"t-1\",\"amount\":\"1.5\",\"currency\":\"EUR\"}")
                                .status())
                .isEqualTo(202);
        assertThat(
                        api.client
                                .post(
                                        "/api/v1/transactions",
                                        KEY_A,
                                        "{\"transactionId\":\""
                                                + voidId
                                                + "\",\"type\":\"VOID\",\"sourceAccountId\":\"held\",\"relatedTransactionId\":\"h-1\",\"currency\":\"USD\"}")
                                .status())
                .isEqualTo(202);

        List<ConsumerRecord<String, LedgerRequest>> records = api.topic.readSince(before, 3);
        assertThat(records).hasSize(3);
        Map<String, ConsumerRecord<String, LedgerRequest>> byId = new java.util.HashMap<>();
        records.forEach(
                r -> byId.put(((MoneyMovement) r.value().getRequest()).getTransactionId(), r));
        assertThat(byId.get(deposit).key()).isEqualTo("acc-dep");
        assertThat(((MoneyMovement) byId.get(deposit).value().getRequest()).getAmountMinor())
                .isEqualTo(5L);
        assertThat(byId.get(refund).key()).isEqualTo("merchant");
        assertThat(((MoneyMovement) byId.get(refund).value().getRequest()).getAmountMinor())
                .isEqualTo(150L);
        assertThat(byId.get(voidId).key()).isEqualTo("held");
        assertThat(((MoneyMovement) byId.get(voidId).value().getRequest()).getAmountMinor())
                .isZero();
    }

    @Test
    void sameIdSamePayloadAnswersTheOriginalAnswerAndProducesOnce() {
        String txId = id("idem");
        String body = transfer(txId, "idem-src", "idem-dst", "10.00");
        Map<TopicPartition, Long> before = api.topic.endOffsets();

        Answer first = api.client.post("/api/v1/transactions", KEY_A, body);
        // Same payload, written differently: "10" and "10.00" USD are the same amount.
        Answer second =
                api.client.post(
                        "/api/v1/transactions",
                        KEY_A,
                        transfer(txId, "idem-src", "idem-dst", "10"));

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(api.topic.countSince(before)).isEqualTo(1);
    }

    @Test
    void sameIdDifferentPayloadIsAConflict() {
        String txId = id("conflict");
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        assertThat(
                        api.client
                                .post(
                                        "/api/v1/transactions",
                                        KEY_A,
                                        transfer(txId, "c-src", "c-dst", "1.00"))
                                .status())
                .isEqualTo(202);

        Answer conflict =
                api.client.post(
                        "/api/v1/transactions", KEY_A, transfer(txId, "c-src", "c-dst", "2.00"));

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.header("Content-Type")).contains("application/problem+json");
        assertThat(conflict.code()).isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(conflict.field()).isEqualTo("transactionId");
        assertThat(api.topic.countSince(before)).isEqualTo(1);
    }

    @Test
    void concurrentDuplicatesAreProducedOnce() throws Exception {
        String txId = id("race");
        String body = transfer(txId, "race-src", "race-dst", "3.00");
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                answers.add(
                        CompletableFuture.supplyAsync(
                                () -> api.client.post("/api/v1/transactions", KEY_A, body), pool));
            }
            for (CompletableFuture<Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(202);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(api.topic.countSince(before)).isEqualTo(1);
    }

    @Test
    void theSameIdIsFreeForAnotherPartner() {
        String txId = id("shared");
        assertThat(
                        api.client
                                .post(
                                        "/api/v1/transactions",
                                        KEY_A,
                                        transfer(txId, "a1", "a2", "1"))
                                .status())
                .isEqualTo(202);
        assertThat(
                        api.client
                                .post(
                                        "/api/v1/transactions",
                                        KEY_B,
                                        transfer(txId, "b1", "b2", "9"))
                                .status())
                .isEqualTo(202);
    }

    @Test
    void partnersSeeAndMoveOnlyTheirOwnAccountsAndTransactions() {
        String accountA = id("acct-a");
        Answer opened =
                api.client.post(
                        "/api/v1/accounts",
                        KEY_A,
                        "{\"accountId\":\"" + accountA + "\",\"currency\":\"USD\"}");
        assertThat(opened.status()).isEqualTo(202);
        String txId = id("iso");
        assertThat(
                        api.client
                                .post(
                                        "/api/v1/transactions",
                                        KEY_A,
                                        transfer(txId, accountA, "a-other", "1"))
                                .status())
                .isEqualTo(202);

        // Partner B cannot read A's transaction or account ...
        assertThat(api.client.get("/api/v1/transactions/" + txId, KEY_B).status()).isEqualTo(404);
        Answer account = api.client.get("/api/v1/accounts/" + accountA, KEY_B);
        assertThat(account.status()).isEqualTo(404);
        assertThat(account.code()).isEqualTo("ACCOUNT_NOT_FOUND");
        // ... nor move money out of it, freeze or close it, nor open the same id.
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        Answer steal =
                api.client.post(
                        "/api/v1/transactions",
                        KEY_B,
                        transfer(id("steal"), accountA, "b-acc", "1"));
        assertThat(steal.status()).isEqualTo(404);
        assertThat(steal.code()).isEqualTo("ACCOUNT_NOT_FOUND");
        assertThat(steal.field()).isEqualTo("sourceAccountId");
        assertThat(api.client.post("/api/v1/accounts/" + accountA + "/freeze", KEY_B, "").status())
                .isEqualTo(404);
        assertThat(api.client.delete("/api/v1/accounts/" + accountA, KEY_B).status())
                .isEqualTo(404);
        Answer taken =
                api.client.post(
                        "/api/v1/accounts",
                        KEY_B,
                        "{\"accountId\":\"" + accountA + "\",\"currency\":\"USD\"}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.code()).isEqualTo("ACCOUNT_ALREADY_EXISTS");
        assertThat(api.topic.countSince(before)).isZero();

        // A sees both; the admin sees them across partners; B's key is no admin key.
        assertThat(api.client.get("/api/v1/transactions/" + txId, KEY_A).status()).isEqualTo(200);
        assertThat(
                        api.client
                                .get("/api/v1/accounts/" + accountA, KEY_A)
                                .json()
                                .get("partnerId")
                                .asText())
                .isEqualTo("partner-a");
        assertThat(api.client.get("/api/v1/admin/accounts/" + accountA, KEY_ADMIN).status())
                .isEqualTo(200);
        assertThat(
                        api.client
                                .get(
                                        "/api/v1/admin/partners/partner-a/transactions/" + txId,
                                        KEY_ADMIN)
                                .status())
                .isEqualTo(200);
        Answer forbidden = api.client.get("/api/v1/admin/accounts/" + accountA, KEY_B);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.code()).isEqualTo("ADMIN_REQUIRED");
        Answer noKey = api.client.get("/api/v1/accounts/" + accountA, null);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(api.client.get("/api/v1/accounts/" + accountA, "wrong-key").status())
                .isEqualTo(401);
    }

    @Test
    void accountCommandsTravelThroughKafkaKeyedByAccount() {
        String account = id("acct");
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        String open =
                "{\"accountId\":\""
                        + account
                        + "\",\"currency\":\"EUR\",\"type\":\"BUSINESS\",\"overdraftLimit\":\"100.50\"}";
        Answer opened = api.client.post("/api/v1/accounts", KEY_A, open);
        assertThat(opened.status()).isEqualTo(202);
        assertThat(opened.json().get("command").asText()).isEqualTo("OPEN");
        // Opening again with the same attributes answers the first answer again.
        Answer again = api.client.post("/api/v1/accounts", KEY_A, open);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(opened.body());
        assertThat(api.client.post("/api/v1/accounts/" + account + "/freeze", KEY_A, "").status())
                .isEqualTo(202);
        assertThat(
                        api.client
                                .get("/api/v1/accounts/" + account, KEY_A)
                                .json()
                                .get("requestedStatus")
                                .asText())
                .isEqualTo("FROZEN");
        assertThat(api.client.post("/api/v1/accounts/" + account + "/unfreeze", KEY_A, "").status())
                .isEqualTo(202);
        assertThat(api.client.delete("/api/v1/accounts/" + account, KEY_A).status()).isEqualTo(202);

        List<ConsumerRecord<String, LedgerRequest>> records = api.topic.readSince(before, 4);
        assertThat(records).hasSize(4).allSatisfy(r -> assertThat(r.key()).isEqualTo(account));
        assertThat(records.stream().map(r -> r.partition()).distinct()).hasSize(1);
        List<AccountCommandType> types = new ArrayList<>();
        records.stream()
                .sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                .forEach(r -> types.add(((AccountCommand) r.value().getRequest()).getType()));
        assertThat(types)
                .containsExactly(
                        AccountCommandType.OPEN,
                        AccountCommandType.FREEZE,
                        AccountCommandType.UNFREEZE,
                        AccountCommandType.CLOSE);
        AccountCommand openCommand =
                (AccountCommand)
                        records.stream()
                                .filter(
                                        r ->
                                                ((AccountCommand) r.value().getRequest()).getType()
                                                        == AccountCommandType.OPEN)
                                .findFirst()
                                .orElseThrow()
                                .value()
                                .getRequest();
        assertThat(openCommand.getPartnerId()).isEqualTo("partner-a");
        assertThat(openCommand.getAccountType()).isEqualTo(AccountType.BUSINESS);
        assertThat(openCommand.getOverdraftLimitMinor()).isEqualTo(10050L);
        assertThat(openCommand.getCommandId()).isEqualTo(opened.json().get("commandId").asText());
    }

    @Test
    void anOverdraftLimitChangeAndAHoldsOwnExpiryReachKafka() {
        String account = id("od");
        Map<TopicPartition, Long> before = api.topic.endOffsets();
        Answer opened =
                api.client.post(
                        "/api/v1/accounts",
                        KEY_A,
                        "{\"accountId\":\"" + account + "\",\"currency\":\"JPY\"}");
        assertThat(opened.status()).isEqualTo(202);

        Answer changed =
                api.client.send(
                        api.client
                                .request("/api/v1/accounts/" + account + "/overdraft-limit", KEY_A)
                                .header("Content-Type", "application/json")
                                .PUT(
                                        java.net.http.HttpRequest.BodyPublishers.ofString(
                                                "{\"overdraftLimit\":\"2500\","
                                                        + "\"currency\":\"JPY\"}")));

        assertThat(changed.status()).as(changed.body()).isEqualTo(202);
        assertThat(changed.json().get("command").asText()).isEqualTo("SET_OVERDRAFT_LIMIT");
        String hold =
                "{\"transactionId\":\""
                        + id("h")
                        + "\",\"type\":\"HOLD\",\"sourceAccountId\":\""
                        + account
                        + "\",\"amount\":\"100\",\"currency\":\"JPY\","
                        + "\"holdExpiresInSeconds\":900}";
        assertThat(api.client.post("/api/v1/transactions", KEY_A, hold).status()).isEqualTo(202);

        List<ConsumerRecord<String, LedgerRequest>> records = api.topic.readSince(before, 3);
        records.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(account));
        AccountCommand change = (AccountCommand) records.get(1).value().getRequest();
        assertThat(change.getType()).isEqualTo(AccountCommandType.SET_OVERDRAFT_LIMIT);
        assertThat(change.getOverdraftLimitMinor()).isEqualTo(2500L);
        assertThat(change.getCurrency()).isEqualTo("JPY");
        assertThat(change.getCommandId()).isEqualTo(changed.json().get("commandId").asText());
        MoneyMovement placed = (MoneyMovement) records.get(2).value().getRequest();
        assertThat(placed.getHoldExpiresInMillis()).isEqualTo(900_000L);
    }

    @Test
    void batchAnswersPerItemAndProducesOnlyTheValidOnes() {
        String ok1 = id("b-ok");
        String ok2 = id("b-ok");
        String body =
                "{\"items\":["
                        + transfer(ok1, "bs", "bd", "1.00")
                        + ","
                        + transfer(id("b-bad"), "bs", "bs", "1.00")
                        + ","
                        + "{\"transactionId\":\"x\",\"type\":\"TRANSFER\",\"sourceAccountId\":\"a\",\"destinationAccountId\":\"b\",\"amount\":\"0.001\",\"currency\":\"USD\"}"
                        + ","
                        + transfer(ok2, "bs", "bd", "2.50")
                        + ","
                        + transfer(ok1, "bs", "bd", "9.99")
                        + "]}";
        Map<TopicPartition, Long> before = api.topic.endOffsets();

        Answer answer = api.client.post("/api/v1/transactions:batch", KEY_A, body);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        assertThat(json.get("rejected").asInt()).isEqualTo(3);
        JsonNode items = json.get("items");
        assertThat(items.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(items.get(0).get("statusUrl").asText()).isEqualTo("/api/v1/transactions/" + ok1);
        assertThat(items.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(items.get(1).get("problem").get("code").asText()).isEqualTo("SAME_ACCOUNT");
        assertThat(items.get(1).get("problem").get("field").asText())
                .isEqualTo("items[1].destinationAccountId");
        assertThat(items.get(2).get("problem").get("code").asText()).isEqualTo("EXCESS_PRECISION");
        assertThat(items.get(3).get("status").asInt()).isEqualTo(202);
        // The same id again inside the batch with another payload: a conflict, not a second write.
        assertThat(items.get(4).get("status").asInt()).isEqualTo(409);
        assertThat(items.get(4).get("problem").get("code").asText())
                .isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(api.topic.countSince(before)).isEqualTo(2);
        // A batch item is a transaction like any other.
        assertThat(api.client.get("/api/v1/transactions/" + ok2, KEY_A).status()).isEqualTo(200);
    }

    @Test
    void operationalEndpointsAnswerWithoutKey() {
        assertThat(api.client.get("/health/live", null).status()).isEqualTo(200);
        Answer ready = api.client.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("checks").get("kafka").asText()).isEqualTo("UP");
        assertThat(ready.json().get("checks").get("schemaRegistry").asText()).isEqualTo("UP");
        Answer openApi = api.client.get("/openapi.yaml", null);
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.body()).startsWith("openapi: 3");

        api.client.post("/api/v1/transactions", KEY_A, transfer(id("m"), "m1", "m2", "1"));
        Answer metrics = api.client.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains(
                        "ingest_http_requests_total{method=\"POST\",route=\"/api/v1/transactions\",status=\"202\"}")
                .contains(
                        "ingest_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/transactions\"")
                .contains("ingest_kafka_produce_duration_seconds_count")
                .contains("ingest_ledger_requests_accepted_total{kind=\"TRANSFER\"}");
    }

    @Test
    void requestIdIsEchoed() {
        Answer answer =
                api.client.send(
                        api.client
                                .request("/health/live", null)
                                .header("X-Request-Id", "abc-123")
                                .GET());
        assertThat(answer.header("X-Request-Id")).contains("abc-123");
    }
}
