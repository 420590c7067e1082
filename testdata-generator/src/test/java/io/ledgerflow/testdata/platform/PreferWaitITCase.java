package io.ledgerflow.testdata.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.testdata.population.Account;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.HttpTarget;
import io.ledgerflow.testdata.testutils.InProcessApi;
import io.ledgerflow.testdata.testutils.RunningLedger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "wait for the decision": {@code POST /api/v1/transactions} with {@code Prefer: wait=N}
 * answers 200 with the ledger's decision when it commits one within N seconds ({@code
 * Preference-Applied: wait=N}), else 202 as without it ({@code Preference-Applied: respond-async}).
 * Two API instances in front of one ledger, each answering its own waiting requests: every instance
 * reads every decision, so it does not matter which Kafka partition or instance a decision passes.
 * The ledger checkpoints every 2 s, and a transfer's result is committed one checkpoint after its
 * debit: a one-second wait for a transfer cannot be met, a ten-second one always is.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class PreferWaitITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path checkpoints;

    @Test
    void aWaitingRequestGetsItsDecisionFromEitherInstanceOrA202WhenTheWaitRunsOut(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        Population population =
                Population.generate(
                        GeneratorSettings.defaults().toBuilder()
                                .partners(1)
                                .accountsPerPartner(2)
                                .currencies(List.of("EUR"))
                                .namespace("it-wait")
                                .build());
        String apiKey = population.partners().get(0).apiKey();
        Account payer = population.accounts().get(0);
        Account payee = population.accounts().get(1);
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-wait-")
                        .withCheckpoints(Duration.ofSeconds(2), checkpoints.toUri().toString());
        ApiKeys keys = ApiKeys.parse(population.apiKeysFileLines(), "generated keys");
        try (RunningLedger ledger = RunningLedger.start(config, 4);
                InProcessApi first =
                        InProcessApi.start(kafka, registry, keys, config.topicPrefix());
                InProcessApi second =
                        InProcessApi.start(kafka, registry, keys, config.topicPrefix());
                HttpTarget http = new HttpTarget(first.url(), population, Duration.ofSeconds(30))) {
            for (AccountOpening opening : population.openings()) {
                assertThat(http.send(opening).join().accepted()).isTrue();
            }

            ObjectNode deposit = movement("wait-deposit", "DEPOSIT", "100.00");
            deposit.put("destinationAccountId", payer.id());
            HttpResponse<String> deposited = post(first.url(), apiKey, deposit, "wait=10");
            assertDecided(deposited, "wait-deposit", "COMPLETED", "wait=10");

            ObjectNode transfer = movement("wait-transfer", "TRANSFER", "30.00");
            transfer.put("sourceAccountId", payer.id());
            transfer.put("destinationAccountId", payee.id());
            assertDecided(
                    post(second.url(), apiKey, transfer, "respond-async, wait=10"),
                    "wait-transfer",
                    "COMPLETED",
                    "wait=10");

            ObjectNode tooMuch = movement("wait-too-much", "TRANSFER", "500.00");
            tooMuch.put("sourceAccountId", payer.id());
            tooMuch.put("destinationAccountId", payee.id());
            HttpResponse<String> refused = post(first.url(), apiKey, tooMuch, "wait=30");
            assertDecided(refused, "wait-too-much", "REJECTED", "wait=10");
            assertThat(JSON.readTree(refused.body()).path("reason").asText())
                    .isEqualTo("INSUFFICIENT_FUNDS");

            ObjectNode slow = movement("wait-slow", "TRANSFER", "1.00");
            slow.put("sourceAccountId", payer.id());
            slow.put("destinationAccountId", payee.id());
            HttpResponse<String> notYet = post(second.url(), apiKey, slow, "wait=1");
            assertThat(notYet.statusCode()).as(notYet.body()).isEqualTo(202);
            assertThat(notYet.headers().firstValue("Preference-Applied")).hasValue("respond-async");
            assertThat(JSON.readTree(notYet.body()).path("status").asText()).isEqualTo("ACCEPTED");

            ObjectNode plain = movement("no-wait", "TRANSFER", "1.00");
            plain.put("sourceAccountId", payer.id());
            plain.put("destinationAccountId", payee.id());
            HttpResponse<String> asBefore = post(first.url(), apiKey, plain, null);
            assertThat(asBefore.statusCode()).isEqualTo(202);
            assertThat(asBefore.headers().firstValue("Preference-Applied")).isEmpty();
        }
    }

    private static ObjectNode movement(String id, String type, String amount) {
        ObjectNode m = JSON.createObjectNode();
        m.put("transactionId", id);
        m.put("type", type);
        m.put("amount", amount);
        m.put("currency", "EUR");
        return m;
    }

    private static HttpResponse<String> post(
            String url, String apiKey, ObjectNode movement, String prefer) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url + "/api/v1/transactions"))
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", apiKey)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(movement.toString()));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertDecided(
            HttpResponse<String> response, String id, String status, String applied)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Preference-Applied")).hasValue(applied);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("transactionId").asText()).isEqualTo(id);
        assertThat(body.path("status").asText()).isEqualTo(status);
        assertThat(body.path("decidedAt").asText()).isNotEmpty();
    }
}
