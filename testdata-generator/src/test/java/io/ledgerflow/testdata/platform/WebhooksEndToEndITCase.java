package io.ledgerflow.testdata.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.ingest.webhooks.Notifier;
import io.ledgerflow.ingest.webhooks.NotifierConfig;
import io.ledgerflow.ingest.webhooks.PartnerEvents;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.testdata.population.Account;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.HttpTarget;
import io.ledgerflow.testdata.testutils.InProcessApi;
import io.ledgerflow.testdata.testutils.RunningLedger;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 through the real path: a partner creates a webhook endpoint through the API, opens
 * accounts and moves money through the API, the ledger job decides, and the notifier delivers the
 * ledger's committed decisions to the partner's receiver: the account openings, the deposit, the
 * transfer and the refused transfer (with its reason), each with the id its result makes.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class WebhooksEndToEndITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String PREFIX = "it-hooks-e2e-";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path checkpoints;

    @Test
    void theLedgersDecisionsOnAPartnersRequestsReachItsWebhook(
            KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres)
            throws Exception {
        Population population =
                Population.generate(
                        GeneratorSettings.defaults().toBuilder()
                                .partners(1)
                                .accountsPerPartner(2)
                                .currencies(List.of("EUR"))
                                .namespace("it-hooks")
                                .build());
        String partner = population.partners().get(0).id();
        String apiKey = population.partners().get(0).apiKey();
        Account payer = population.accounts().get(0);
        Account payee = population.accounts().get(1);
        String db = database(postgres, "webhooks_e2e_it");

        Map<String, JsonNode> received = new ConcurrentHashMap<>();
        HttpServer receiver =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext(
                "/",
                ex -> {
                    byte[] body;
                    try (InputStream in = ex.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    JsonNode event = JSON.readTree(new String(body, StandardCharsets.UTF_8));
                    received.put(ex.getRequestHeaders().getFirst("webhook-id"), event);
                    ex.sendResponseHeaders(204, -1);
                    ex.close();
                });
        receiver.start();

        Map<String, String> apiSettings = new HashMap<>();
        apiSettings.put("LEDGERFLOW_PARTNERS_JDBC_URL", db);
        apiSettings.put("LEDGERFLOW_PARTNERS_USER", PostgresServer.USER);
        apiSettings.put("LEDGERFLOW_PARTNERS_PASSWORD", PostgresServer.PASSWORD);
        apiSettings.put("LEDGERFLOW_WEBHOOK_URL_POLICY", "development");
        Map<String, String> notifierSettings = new HashMap<>();
        notifierSettings.put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        notifierSettings.put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registry.url());
        notifierSettings.put("LEDGERFLOW_TOPIC_PREFIX", PREFIX);
        notifierSettings.put("LEDGERFLOW_NOTIFIER_JDBC_URL", db);
        notifierSettings.put("LEDGERFLOW_NOTIFIER_USER", PostgresServer.USER);
        notifierSettings.put("LEDGERFLOW_NOTIFIER_PASSWORD", PostgresServer.PASSWORD);
        notifierSettings.put("LEDGERFLOW_NOTIFIER_HTTP_PORT", "0");
        notifierSettings.put("LEDGERFLOW_WEBHOOK_URL_POLICY", "development");
        notifierSettings.put("LEDGERFLOW_WEBHOOK_POLL", "50ms");
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX)
                        .withCheckpoints(Duration.ofSeconds(1), checkpoints.toUri().toString());
        ApiKeys keys = ApiKeys.parse(population.apiKeysFileLines(), "generated keys");
        try (RunningLedger ledger = RunningLedger.start(config, 2);
                InProcessApi api = InProcessApi.start(kafka, registry, keys, PREFIX, apiSettings);
                Notifier notifier =
                        new Notifier(NotifierConfig.from(notifierSettings), Clock.systemUTC());
                HttpTarget http = new HttpTarget(api.url(), population, Duration.ofSeconds(30))) {
            notifier.start();
            HttpResponse<String> created =
                    send(
                            api.url() + "/api/v1/webhooks/endpoints",
                            apiKey,
                            "{\"url\": \"http://127.0.0.1:"
                                    + receiver.getAddress().getPort()
                                    + "/hooks\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            for (AccountOpening opening : population.openings()) {
                assertThat(http.send(opening).join().accepted()).isTrue();
            }
            post(api.url(), apiKey, "e2e-deposit", "DEPOSIT", "100.00", null, payer.id());
            post(api.url(), apiKey, "e2e-transfer", "TRANSFER", "30.00", payer.id(), payee.id());
            post(api.url(), apiKey, "e2e-too-much", "TRANSFER", "500.00", payer.id(), payee.id());

            String deposit =
                    PartnerEvents.eventId("transaction", partner, "e2e-deposit", "COMPLETED");
            String transfer =
                    PartnerEvents.eventId("transaction", partner, "e2e-transfer", "COMPLETED");
            String refused =
                    PartnerEvents.eventId("transaction", partner, "e2e-too-much", "REJECTED");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!received.keySet().containsAll(List.of(deposit, transfer, refused))
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(received).containsKeys(deposit, transfer, refused);
            assertThat(received.get(deposit).path("type").asText())
                    .isEqualTo("transaction.completed");
            assertThat(received.get(transfer).path("data").path("amount").asText())
                    .isEqualTo("30.00");
            assertThat(received.get(refused).path("type").asText())
                    .isEqualTo("transaction.rejected");
            assertThat(received.get(refused).path("data").path("reason").asText())
                    .isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(received.values())
                    .filteredOn(e -> e.path("type").asText().equals("account.opened"))
                    .extracting(e -> e.path("data").path("accountId").asText())
                    .contains(payer.id(), payee.id());
        } finally {
            receiver.stop(0);
        }
    }

    private static void post(
            String url, String key, String id, String type, String amount, String from, String to)
            throws Exception {
        StringBuilder body =
                new StringBuilder("{\"transactionId\": \"")
                        .append(id)
                        .append("\", \"type\": \"")
                        .append(type)
                        .append("\", \"amount\": \"")
                        .append(amount)
                        .append("\", \"currency\": \"EUR\"");
        if (from != null) {
            body.append(", \"sourceAccountId\": \"").append(from).append('"');
        }
        body.append(", \"destinationAccountId\": \"").append(to).append("\"}");
        HttpResponse<String> answer = send(url + "/api/v1/transactions", key, body.toString());
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 202);
    }

    private static HttpResponse<String> send(String url, String key, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", key)
                        .header("Prefer", "wait=10")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String database(PostgresServer postgres, String name) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.jdbcUrl(name);
    }
}
