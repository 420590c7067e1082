package io.ledgerflow.testdata.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerKafka.TopicReader;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.testdata.population.Account;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.HttpTarget;
import io.ledgerflow.testdata.target.Outcome;
import io.ledgerflow.testdata.testutils.InProcessApi;
import io.ledgerflow.testdata.testutils.RunningLedger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "metadata and the partner's external reference travel end to end", on the real servers:
 * the ingest API in this JVM (reading the PostgreSQL read model), the ledger and sinks jobs on a
 * MiniCluster, real Kafka, schema registry, PostgreSQL and ClickHouse.
 *
 * <p>A deposit and a transfer go through the API with metadata (including characters that JSON, SQL
 * and ClickHouse literals must each escape) and an external reference; a second deposit carries
 * neither. Each must come back, unchanged, from every record and store the ledger feeds: its result
 * and its ledger entries (every leg, the system account's included) in Kafka, its row in PostgreSQL
 * {@code transactions} and its rows in {@code ledger_entries}, its rows in both ClickHouse tables,
 * and the API's {@code GET /api/v1/transactions/{id}}; the one without them as empty metadata and
 * no reference everywhere.
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class MetadataEndToEndITCase {

    private static final String PREFIX = "it-meta-";
    private static final String PG_DATABASE = "meta_it";
    private static final String CH_DATABASE = "ledgerflow_meta";
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a partner writes in metadata: quotes, a backslash, non-ASCII, a JSON-looking value. */
    private static final Map<String, String> DEPOSIT_METADATA =
            Map.of(
                    "source", "wire",
                    "payer.name", "O'Brien \"Jr\" \\ Zoë",
                    "raw_json", "{\"a\":[1,2]}");

    private static final Map<String, String> TRANSFER_METADATA =
            Map.of("orderId", "A-1029", "channel", "web", "basket-size", "3");

    private static final String DEPOSIT_REFERENCE = "WIRE 2026/12-0007 'é'";
    private static final String TRANSFER_REFERENCE = "INV-2026-0042";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path checkpoints;

    @Test
    void metadataAndTheExternalReferenceReachEveryRecordStoreAndAnswer(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        Population population =
                Population.generate(
                        GeneratorSettings.defaults().toBuilder()
                                .partners(1)
                                .accountsPerPartner(2)
                                .currencies(List.of("EUR"))
                                .namespace("it-meta")
                                .build());
        String partner = population.partners().get(0).id();
        String apiKey = population.partner(partner).apiKey();
        Account payer = population.accounts().get(0);
        Account payee = population.accounts().get(1);

        LedgerJobConfig ledgerConfig =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX)
                        .withCheckpoints(
                                Duration.ofMillis(500),
                                checkpoints.resolve("ledger").toUri().toString());
        String pgUrl = createDatabase(postgres);
        SinksConfig sinksConfig =
                SinksConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url(), PREFIX)
                        .withDatabases(
                                pgUrl,
                                PostgresServer.USER,
                                PostgresServer.PASSWORD,
                                "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                                CH_DATABASE)
                        .withCheckpoints(
                                Duration.ofMillis(500),
                                checkpoints.resolve("sinks").toUri().toString());
        SinksJob sinksJob = new SinksJob(sinksConfig);
        sinksJob.migrateStores();
        StreamExecutionEnvironment sinksEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        sinksEnv.configure(SinksJob.clusterConfiguration(sinksConfig));
        Map<String, String> readModel =
                Map.of(
                        "LEDGERFLOW_READ_MODEL_JDBC_URL", pgUrl,
                        "LEDGERFLOW_READ_MODEL_USER", PostgresServer.USER,
                        "LEDGERFLOW_READ_MODEL_PASSWORD", PostgresServer.PASSWORD);
        JobClient sinks = sinksJob.start(sinksEnv);
        try (RunningLedger ledger = RunningLedger.start(ledgerConfig, 2);
                InProcessApi api =
                        InProcessApi.start(
                                kafka,
                                registry,
                                ApiKeys.parse(population.apiKeysFileLines(), "generated keys"),
                                ledgerConfig.topicPrefix(),
                                readModel);
                HttpTarget http = new HttpTarget(api.url(), population, Duration.ofSeconds(30));
                TopicReader<TransactionResult> results =
                        ledger.topics.reader(Topics.TRANSACTION_RESULTS, TransactionResult.class);
                TopicReader<LedgerEntry> entries =
                        ledger.topics.reader(Topics.LEDGER_ENTRIES, LedgerEntry.class);
                Connection pg =
                        DriverManager.getConnection(
                                pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                Connection ch = sinksJob.clickHouseTarget().connect()) {
            for (AccountOpening opening : population.openings()) {
                assertAccepted(http.send(opening).join(), opening.accountId());
            }
            Api client = new Api(api.url(), apiKey);
            ObjectNode deposit = client.movement("meta-deposit", "DEPOSIT", "500.00", payer);
            deposit.remove("sourceAccountId");
            deposit.put("destinationAccountId", payer.id());
            deposit.set("metadata", JSON.valueToTree(DEPOSIT_METADATA));
            deposit.put("externalReference", DEPOSIT_REFERENCE);
            ObjectNode plain = client.movement("meta-plain", "DEPOSIT", "1.00", payee);
            plain.remove("sourceAccountId");
            plain.put("destinationAccountId", payee.id());
            ObjectNode transfer = client.movement("meta-transfer", "TRANSFER", "120.00", payer);
            transfer.put("destinationAccountId", payee.id());
            transfer.set("metadata", JSON.valueToTree(TRANSFER_METADATA));
            transfer.put("externalReference", TRANSFER_REFERENCE);

            client.submit(deposit);
            client.submit(plain);
            awaitTerminal(results, Set.of("meta-deposit", "meta-plain"));
            client.submit(transfer); // after the deposit is decided: the payer has the money
            awaitTerminal(results, Set.of("meta-transfer"));

            Map<String, Expected> expected =
                    Map.of(
                            "meta-deposit",
                            new Expected(DEPOSIT_METADATA, DEPOSIT_REFERENCE, 2),
                            "meta-transfer",
                            new Expected(TRANSFER_METADATA, TRANSFER_REFERENCE, 2),
                            "meta-plain",
                            new Expected(Map.of(), null, 2));

            // 1. Kafka: the result and every entry of each movement.
            for (TransactionResult r : results.records()) {
                Expected e = expected.get(r.getTransactionId());
                if (e != null) {
                    assertThat(r.getStatus())
                            .as("%s", r.getTransactionId())
                            .isEqualTo(TransactionStatus.COMPLETED);
                    assertThat(r.getMetadata()).as("%s", r).isEqualTo(e.metadata);
                    assertThat(r.getExternalReference()).as("%s", r).isEqualTo(e.reference);
                }
            }
            List<LedgerEntry> posted =
                    entries.readUntil(
                            read -> entriesOf(read, expected.keySet()).size() == 6, PATIENCE);
            assertThat(entriesOf(posted, expected.keySet())).hasSize(6);
            for (LedgerEntry entry : entriesOf(posted, expected.keySet())) {
                Expected e = expected.get(entry.getTransactionId());
                assertThat(entry.getMetadata()).as("%s", entry).isEqualTo(e.metadata);
                assertThat(entry.getExternalReference()).as("%s", entry).isEqualTo(e.reference);
            }

            // 2. PostgreSQL: the transaction rows and every ledger entry row.
            awaitRows(pg, "transactions", expected.size());
            awaitRows(pg, "ledger_entries", 6);
            for (Map.Entry<String, Expected> e : expected.entrySet()) {
                assertThat(postgresTransaction(pg, partner, e.getKey()))
                        .as("PostgreSQL transactions row of %s", e.getKey())
                        .isEqualTo(e.getValue().annotations());
                assertThat(postgresEntries(pg, e.getKey()))
                        .as("PostgreSQL ledger_entries rows of %s", e.getKey())
                        .hasSize(e.getValue().entries)
                        .containsOnly(e.getValue().annotations());
            }

            // 3. ClickHouse: both tables.
            awaitClickHouseRows(ch, expected.keySet());
            for (Map.Entry<String, Expected> e : expected.entrySet()) {
                assertThat(clickHouseRows(ch, "transactions FINAL", e.getKey()))
                        .as("ClickHouse transactions row of %s", e.getKey())
                        .containsExactly(e.getValue().annotations());
                assertThat(clickHouseRows(ch, "ledger_entries FINAL", e.getKey()))
                        .as("ClickHouse ledger_entries rows of %s", e.getKey())
                        .hasSize(e.getValue().entries)
                        .containsOnly(e.getValue().annotations());
            }

            // 4. The API's answer, from the read model.
            for (Map.Entry<String, Expected> e : expected.entrySet()) {
                JsonNode answer = client.decided(e.getKey());
                assertThat(answer.path("status").asText()).isEqualTo("COMPLETED");
                assertThat(answer.path("metadata").isObject()).as("%s", answer).isTrue();
                Map<String, String> metadata =
                        JSON.convertValue(answer.get("metadata"), new TypeReference<>() {});
                assertThat(metadata).as("%s", answer).isEqualTo(e.getValue().metadata);
                JsonNode reference = answer.get("externalReference");
                if (e.getValue().reference == null) {
                    assertThat(reference == null || reference.isNull()).as("%s", answer).isTrue();
                } else {
                    assertThat(reference.asText()).isEqualTo(e.getValue().reference);
                }
            }
        } finally {
            FlinkJobs.cancelAndWait(sinks);
        }
    }

    /** A movement's annotations and how many ledger entries it posts. */
    private record Expected(Map<String, String> metadata, String reference, int entries) {
        Annotations annotations() {
            return new Annotations(metadata, reference);
        }
    }

    /** The annotations as a store gives them back. */
    private record Annotations(Map<String, String> metadata, String reference) {}

    private static List<LedgerEntry> entriesOf(List<LedgerEntry> read, Set<String> ids) {
        return read.stream().filter(e -> ids.contains(e.getTransactionId())).toList();
    }

    private static void awaitTerminal(TopicReader<TransactionResult> results, Set<String> ids) {
        results.readUntil(
                read ->
                        read.stream()
                                .filter(r -> r.getStatus() != TransactionStatus.HELD)
                                .map(TransactionResult::getTransactionId)
                                .toList()
                                .containsAll(ids),
                PATIENCE);
        assertThat(results.records())
                .extracting(TransactionResult::getTransactionId)
                .as("decided")
                .containsAll(ids);
    }

    private static Annotations postgresTransaction(Connection pg, String partner, String id)
            throws Exception {
        try (PreparedStatement s =
                pg.prepareStatement(
                        "SELECT metadata::text, external_reference FROM transactions"
                                + " WHERE partner_id = ? AND transaction_id = ?")) {
            s.setString(1, partner);
            s.setString(2, id);
            List<Annotations> rows = postgresAnnotations(s);
            assertThat(rows).as("rows of %s", id).hasSize(1);
            return rows.get(0);
        }
    }

    private static List<Annotations> postgresEntries(Connection pg, String id) throws Exception {
        try (PreparedStatement s =
                pg.prepareStatement(
                        "SELECT metadata::text, external_reference FROM ledger_entries"
                                + " WHERE transaction_id = ?")) {
            s.setString(1, id);
            return postgresAnnotations(s);
        }
    }

    private static List<Annotations> postgresAnnotations(PreparedStatement s) throws Exception {
        List<Annotations> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Map<String, String> metadata =
                        JSON.readValue(r.getString(1), new TypeReference<>() {});
                rows.add(new Annotations(metadata, r.getString(2)));
            }
        }
        return rows;
    }

    private static List<Annotations> clickHouseRows(Connection ch, String table, String id)
            throws SQLException {
        List<Annotations> rows = new ArrayList<>();
        try (PreparedStatement s =
                ch.prepareStatement(
                        "SELECT mapKeys(metadata), mapValues(metadata), external_reference FROM "
                                + table
                                + " WHERE transaction_id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Annotations(map(r.getArray(1), r.getArray(2)), r.getString(3)));
                }
            }
        }
        return rows;
    }

    private static Map<String, String> map(Array keys, Array values) throws SQLException {
        Object[] k = (Object[]) keys.getArray();
        Object[] v = (Object[]) values.getArray();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < k.length; i++) {
            map.put((String) k[i], (String) v[i]);
        }
        return map;
    }

    private static void awaitRows(Connection pg, String table, int atLeast) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try (Statement s = pg.createStatement();
                    ResultSet r =
                            s.executeQuery(
                                    "SELECT count(*) FROM "
                                            + table
                                            + " WHERE transaction_id LIKE 'meta-%'")) {
                r.next();
                if (r.getLong(1) >= atLeast) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("PostgreSQL " + table + " has not " + atLeast + " rows");
    }

    private static void awaitClickHouseRows(Connection ch, Set<String> ids) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            int found = 0;
            for (String id : ids) {
                if (!clickHouseRows(ch, "transactions FINAL", id).isEmpty()
                        && clickHouseRows(ch, "ledger_entries FINAL", id).size() == 2) {
                    found++;
                }
            }
            if (found == ids.size()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("ClickHouse lacks the rows of " + ids);
    }

    private static void assertAccepted(Outcome outcome, String what) {
        assertThat(outcome.accepted()).as("%s accepted: %s", what, outcome.errorType()).isTrue();
    }

    private static String createDatabase(PostgresServer postgres) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PG_DATABASE);
            s.execute("CREATE DATABASE " + PG_DATABASE);
        }
        return postgres.jdbcUrl(PG_DATABASE);
    }

    /** The partner's side of the API: raw JSON, as a partner's client would send it. */
    private record Api(String url, String apiKey) {

        private static final HttpClient HTTP =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        ObjectNode movement(String id, String type, String amount, Account source) {
            ObjectNode m = JSON.createObjectNode();
            m.put("transactionId", id);
            m.put("type", type);
            m.put("sourceAccountId", source.id());
            m.put("amount", amount);
            m.put("currency", "EUR");
            return m;
        }

        void submit(ObjectNode movement) throws Exception {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(url + "/api/v1/transactions"))
                                    .header("Content-Type", "application/json")
                                    .header("X-Api-Key", apiKey)
                                    .POST(HttpRequest.BodyPublishers.ofString(movement.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        /** The GET answer once the read model has the decision (not ACCEPTED any more). */
        JsonNode decided(String id) throws Exception {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            JsonNode answer = null;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> response =
                        HTTP.send(
                                HttpRequest.newBuilder(
                                                URI.create(url + "/api/v1/transactions/" + id))
                                        .header("X-Api-Key", apiKey)
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    answer = JSON.readTree(response.body());
                    if (!"ACCEPTED".equals(answer.path("status").asText())) {
                        return answer;
                    }
                }
                Thread.sleep(250);
            }
            throw new AssertionError("no decided answer for " + id + ": " + answer);
        }
    }
}
