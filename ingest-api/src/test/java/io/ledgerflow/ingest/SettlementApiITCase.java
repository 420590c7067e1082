package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.PartnerDatabases;
import io.ledgerflow.ingest.testutils.ReadModelRows;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.readmodel.settlement.PostgresSettlements;
import io.ledgerflow.readmodel.settlement.SettledPosting;
import io.ledgerflow.readmodel.settlement.SettlementBatch;
import io.ledgerflow.readmodel.settlement.SettlementMovement;
import io.ledgerflow.readmodel.settlement.SettlementPeriod;
import io.ledgerflow.readmodel.settlement.SettlementRules;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fee and settlement routes against the real PostgreSQL: fee schedule versions and settlement
 * settings managed by an admin key (validated, conflicts refused, audited); a partner lists its
 * batches and reads one as JSON or CSV with exact figures; another partner sees none of them; the
 * admin twins read any partner's.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class SettlementApiITCase {

    private static ReadModelRows rows;
    private static RunningApi api;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres) {
        rows = ReadModelRows.create(postgres, "api_settlement_it");
        Map<String, String> env = new java.util.HashMap<>(rows.apiEnv());
        env.putAll(PartnerDatabases.env(rows.jdbcUrl));
        api = new RunningApi(kafka, registry, env);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (rows != null) {
            rows.close();
        }
    }

    @Test
    void feeSchedulesAreVersionedValidatedAndAudited() {
        String path = "/api/v1/admin/partners/" + PARTNER_A + "/fee-schedules";
        Answer v1 =
                api.client.post(
                        path,
                        KEY_ADMIN,
                        "{\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"rules\":[{\"movementType\":"
                                + "\"CAPTURE\",\"currency\":\"USD\",\"percentBasisPoints\":290,"
                                + "\"fixed\":\"0.30\",\"minimum\":\"0.50\",\"maximum\":\"25.00\"}]}");
        assertThat(v1.status()).as(v1.body()).isEqualTo(201);
        assertThat(v1.json().get("version").asInt()).isEqualTo(1);
        JsonNode rule = v1.json().get("rules").get(0);
        assertThat(rule.get("fixed").asText()).isEqualTo("0.30");
        assertThat(rule.get("minimum").asText()).isEqualTo("0.50");
        assertThat(rule.get("maximum").asText()).isEqualTo("25.00");

        Answer v2 =
                api.client.post(
                        path,
                        KEY_ADMIN,
                        "{\"effectiveFrom\":\"2026-06-01T00:00:00Z\",\"rules\":[{\"movementType\":"
                                + "\"CAPTURE\",\"currency\":\"JPY\",\"percentBasisPoints\":150,"
                                + "\"fixed\":\"10\"}]}");
        assertThat(v2.status()).as(v2.body()).isEqualTo(201);
        assertThat(v2.json().get("version").asInt()).isEqualTo(2);

        // Same instant again: a conflict, nothing added.
        Answer again =
                api.client.post(
                        path,
                        KEY_ADMIN,
                        "{\"effectiveFrom\":\"2026-06-01T00:00:00Z\",\"rules\":[]}");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("VERSION_CONFLICT");

        Answer badBounds =
                api.client.post(
                        path,
                        KEY_ADMIN,
                        "{\"effectiveFrom\":\"2027-01-01T00:00:00Z\",\"rules\":[{\"movementType\":"
                                + "\"CAPTURE\",\"currency\":\"USD\",\"percentBasisPoints\":1,"
                                + "\"fixed\":\"0\",\"minimum\":\"2.00\",\"maximum\":\"1.00\"}]}");
        assertThat(badBounds.status()).isEqualTo(400);
        assertThat(badBounds.field()).isEqualTo("rules[0].minimum");
        Answer badPrecision =
                api.client.post(
                        path,
                        KEY_ADMIN,
                        "{\"effectiveFrom\":\"2027-01-01T00:00:00Z\",\"rules\":[{\"movementType\":"
                                + "\"CAPTURE\",\"currency\":\"USD\",\"percentBasisPoints\":1,"
                                + "\"fixed\":\"0.001\"}]}");
        assertThat(badPrecision.status()).isEqualTo(400);
        assertThat(badPrecision.field()).isEqualTo("rules[0].fixed");
        assertThat(api.client.post(path, KEY_A, "{}").status()).isEqualTo(403);

        Answer list = api.client.get(path, KEY_ADMIN);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items")).hasSize(2);
        assertThat(list.json().get("items").get(1).get("rules").get(0).get("fixed").asText())
                .isEqualTo("10");

        Answer audit = api.client.get("/api/v1/admin/audit?partnerId=" + PARTNER_A, KEY_ADMIN);
        assertThat(audit.body()).contains("FEE_SCHEDULE_ADDED");
    }

    @Test
    void settlementSettingsDefaultToDailyUtcAndCanBeChanged() {
        String path = "/api/v1/admin/partners/" + PARTNER_A + "/settlement-settings";
        Answer unset = api.client.get(path, KEY_ADMIN);
        assertThat(unset.status()).as(unset.body()).isEqualTo(200);
        assertThat(unset.body())
                .isEqualTo("{\"cutoffTime\":\"00:00\",\"timeZone\":\"Z\",\"periodHours\":24}");
        Answer set =
                api.client.json(
                        "PUT",
                        path,
                        KEY_ADMIN,
                        "{\"cutoffTime\":\"17:00\",\"timeZone\":\"Europe/Berlin\",\"periodHours\":12}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(api.client.get(path, KEY_ADMIN).body())
                .isEqualTo(
                        "{\"cutoffTime\":\"17:00\",\"timeZone\":\"Europe/Berlin\",\"periodHours\":12}");
        Answer badZone =
                api.client.json(
                        "PUT",
                        path,
                        KEY_ADMIN,
                        "{\"cutoffTime\":\"17:00\",\"timeZone\":\"Mars/Olympus\"}");
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.field()).isEqualTo("timeZone");
        Answer badHours =
                api.client.json(
                        "PUT",
                        path,
                        KEY_ADMIN,
                        "{\"cutoffTime\":\"17:00\",\"timeZone\":\"UTC\",\"periodHours\":5}");
        assertThat(badHours.field()).isEqualTo("periodHours");
    }

    @Test
    void aPartnerReadsItsBatchesAsJsonAndCsvAndNoOneElsesBatches() throws Exception {
        SettlementPeriod day =
                new SettlementPeriod(
                        Instant.parse("2026-11-02T00:00:00Z"),
                        Instant.parse("2026-11-03T00:00:00Z"));
        List<SettledPosting> postings =
                List.of(
                        new SettledPosting(
                                "api-settle",
                                1,
                                "c1",
                                "CAPTURE",
                                "CREDIT",
                                10_005,
                                false,
                                Instant.parse("2026-11-02T09:00:00Z"),
                                Instant.parse("2026-11-02T09:00:01Z"),
                                "a".repeat(64)),
                        new SettledPosting(
                                "api-settle",
                                2,
                                "r1",
                                "REFUND",
                                "DEBIT",
                                500,
                                false,
                                Instant.parse("2026-11-02T10:00:00Z"),
                                Instant.parse("2026-11-02T10:00:01Z"),
                                "b".repeat(64)));
        SettlementBatch batch;
        try (Connection c = ReadModelRows.connect(rows.jdbcUrl)) {
            c.setAutoCommit(false);
            // 10005 * 2.9 % = 290.145 -> 290, + 30 = 320 (v1 of this test's own schedule)
            batch =
                    SettlementRules.batch(
                            PARTNER_A,
                            "USD",
                            "api-settle",
                            day,
                            day.end().plusSeconds(600),
                            postings,
                            List.of(
                                    new io.ledgerflow.readmodel.settlement.FeeSchedule(
                                            PARTNER_A,
                                            1,
                                            Instant.parse("2026-01-01T00:00:00Z"),
                                            List.of(
                                                    new io.ledgerflow.readmodel.settlement.FeeRule(
                                                            "CAPTURE", "USD", 290, 30, null,
                                                            null)))),
                            0);
            assertThat(
                            PostgresSettlements.insert(
                                    c,
                                    batch,
                                    SettlementMovement.of(
                                            batch, "platform", "platform-revenue-USD")))
                    .isTrue();
            c.commit();
        }

        Answer list = api.client.get("/api/v1/settlements", KEY_A);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        JsonNode head = list.json().get("items").get(0);
        assertThat(head.get("batchId").asText()).isEqualTo(batch.batchId());
        assertThat(head.get("credits").asText()).isEqualTo("100.05");
        assertThat(head.get("refunds").asText()).isEqualTo("5.00");
        assertThat(head.get("fees").asText()).isEqualTo("3.20");
        assertThat(head.get("netPayable").asText()).isEqualTo("91.85"); // 100.05 - 5.00 - 3.20
        assertThat(head.get("payout").asText()).isEqualTo("91.85");
        assertThat(head.get("contentHash").asText()).isEqualTo(batch.contentHash());
        assertThat(head.get("contentHashVerified").asBoolean()).isTrue();
        assertThat(head.has("entries")).isFalse();

        Answer one = api.client.get("/api/v1/settlements/" + batch.batchId(), KEY_A);
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.json().get("entries")).hasSize(2);
        assertThat(one.json().get("entries").get(0).get("fee").asText()).isEqualTo("3.20");
        assertThat(one.json().get("lines").get(1).get("movementType").asText()).isEqualTo("REFUND");
        assertThat(one.json().get("payoutTransactionId").asText())
                .isEqualTo(batch.batchId() + ".payout");

        Answer csv =
                api.client.send(
                        api.client
                                .request("/api/v1/settlements/" + batch.batchId(), KEY_A)
                                .header("Accept", "text/csv")
                                .GET());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).contains("text/csv; charset=utf-8; header=present");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0])
                .isEqualTo(
                        "record,batch_id,sequence,transaction_id,movement_type,direction,"
                                + "adjustment,count,amount,fee,event_time,posted_time");
        assertThat(lines[1])
                .isEqualTo(
                        "ENTRY,"
                                + batch.batchId()
                                + ",1,c1,CAPTURE,CREDIT,false,1,100.05,3.20,"
                                + "2026-11-02T09:00:00Z,2026-11-02T09:00:01Z");
        assertThat(lines).contains("NET_PAYABLE," + batch.batchId() + ",,,,,,,91.85,,,");
        assertThat(lines[lines.length - 1])
                .isEqualTo("HASH," + batch.batchId() + ",," + batch.contentHash() + ",,,,1,,,,");
        for (String line : lines) {
            assertThat(line.split(",", -1)).as(line).hasSize(12);
        }

        // Another partner: no batches, and this one is unknown to it.
        assertThat(api.client.get("/api/v1/settlements", KEY_B).json().get("items")).isEmpty();
        Answer foreign = api.client.get("/api/v1/settlements/" + batch.batchId(), KEY_B);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("SETTLEMENT_BATCH_NOT_FOUND");
        assertThat(api.client.get("/api/v1/settlements/not-a-batch", KEY_A).status())
                .isEqualTo(400);
        // The admin twins read any partner's.
        Answer twin =
                api.client.get(
                        "/api/v1/admin/partners/" + PARTNER_A + "/settlements/" + batch.batchId(),
                        KEY_ADMIN);
        assertThat(twin.status()).isEqualTo(200);
        assertThat(twin.json().get("contentHash").asText()).isEqualTo(batch.contentHash());

        // A stored row changed behind the triggers' back (a superuser): the answer says so.
        try (Connection c = ReadModelRows.connect(rows.jdbcUrl);
                java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER TABLE settlement_batch_entries DISABLE TRIGGER USER");
            s.execute(
                    "UPDATE settlement_batch_entries SET fee_minor = 0 WHERE batch_id = '"
                            + batch.batchId()
                            + "' AND sequence = 1");
            s.execute("ALTER TABLE settlement_batch_entries ENABLE TRIGGER USER");
        }
        Answer tampered = api.client.get("/api/v1/settlements/" + batch.batchId(), KEY_A);
        assertThat(tampered.json().get("contentHash").asText()).isEqualTo(batch.contentHash());
        assertThat(tampered.json().get("contentHashVerified").asBoolean()).isFalse();
    }
}
