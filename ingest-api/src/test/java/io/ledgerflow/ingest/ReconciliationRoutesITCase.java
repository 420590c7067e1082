package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.ReadModelRows;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin routes over the reconciliation's tables (read model migration V12, written by the sinks
 * module's reconcile and import-statement commands): mismatches by status with their age, a
 * statement's matches and exceptions with theirs, admin keys only, bad parameters refused as
 * problems with their codes.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class ReconciliationRoutesITCase {

    private static ReadModelRows rows;
    private static RunningApi api;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres)
            throws SQLException {
        rows = ReadModelRows.create(postgres, "api_reconciliation_it");
        api = new RunningApi(kafka, registry, rows.apiEnv());
        try (Statement s = rows.connection().createStatement()) {
            s.execute(
                    "INSERT INTO reconciliation (kind, partner_id, currency, window_start, subject,"
                            + " window_end, expected, found, detail, status, first_seen, last_seen,"
                            + " cleared_time) VALUES"
                            + " ('MISSING_IN_POSTGRES', 'p1', 'EUR', '2026-12-07T10:00:00Z', '',"
                            + " '2026-12-07T10:01:00Z', '3 entries, amount 390',"
                            + " '2 entries, amount 140', '1 entries missing', 'OPEN',"
                            + " now() - interval '90 seconds', now(), NULL),"
                            + " ('AMOUNT_MISMATCH_CLICKHOUSE', 'p2', 'USD', '2026-12-07T10:01:00Z',"
                            + " '', '2026-12-07T10:02:00Z', '2 entries, amount 1000',"
                            + " '2 entries, amount 7300', 'amounts differ by 6300', 'CLEARED',"
                            + " '2026-12-07T10:05:00Z', '2026-12-07T10:05:40Z',"
                            + " '2026-12-07T10:06:10Z')");
            s.execute(
                    "INSERT INTO statement_matches (statement_id, item, result, matched_by,"
                            + " line_number, partner_id, transaction_id, movement_type,"
                            + " amount_minor, currency, item_date, reference, matched_time) VALUES"
                            + " ('bank-1', 'line:2', 'MATCHED', 'REFERENCE', 2, 'p1', 'd1',"
                            + " 'DEPOSIT', 10000, 'EUR', current_date - 5, 'INV-1', now()),"
                            + " ('bank-1', 'line:3', 'UNMATCHED_STATEMENT_LINE', NULL, 3, NULL, NULL,"
                            + " NULL, 99900, 'EUR', current_date - 4, 'UNKNOWN', now()),"
                            + " ('bank-1', 'tx:p2/w2', 'UNMATCHED_LEDGER_MOVEMENT', NULL, NULL, 'p2',"
                            + " 'w2', 'WITHDRAWAL', 4000, 'EUR', current_date - 3, NULL, now())");
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        if (api != null) {
            api.close();
        }
        if (rows != null) {
            rows.close();
        }
    }

    @Test
    void mismatchesAreListedByStatusWithTheirAge() {
        Answer open = api.client.get("/api/v1/admin/reconciliation/mismatches", KEY_ADMIN);
        assertThat(open.status()).as(open.body()).isEqualTo(200);
        JsonNode items = open.json().get("items");
        assertThat(items).hasSize(1);
        JsonNode m = items.get(0);
        assertThat(m.get("kind").asText()).isEqualTo("MISSING_IN_POSTGRES");
        assertThat(m.get("partnerId").asText()).isEqualTo("p1");
        assertThat(m.get("windowStart").asText()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(m.get("expected").asText()).isEqualTo("3 entries, amount 390");
        assertThat(m.get("found").asText()).isEqualTo("2 entries, amount 140");
        assertThat(m.get("clearedTime").isNull()).isTrue();
        assertThat(m.get("ageSeconds").asLong()).isBetween(90L, 150L);

        Answer cleared =
                api.client.get("/api/v1/admin/reconciliation/mismatches?status=CLEARED", KEY_ADMIN);
        JsonNode c = cleared.json().get("items").get(0);
        assertThat(cleared.json().get("items")).hasSize(1);
        assertThat(c.get("kind").asText()).isEqualTo("AMOUNT_MISMATCH_CLICKHOUSE");
        assertThat(c.get("firstSeen").asText()).isEqualTo("2026-12-07T10:05:00.000Z");
        assertThat(c.get("clearedTime").asText()).isEqualTo("2026-12-07T10:06:10.000Z");
        assertThat(c.get("ageSeconds").asLong()).as("open for 70 s").isEqualTo(70);
        assertThat(
                        api.client
                                .get(
                                        "/api/v1/admin/reconciliation/mismatches?status=ALL",
                                        KEY_ADMIN)
                                .json()
                                .get("items"))
                .hasSize(2);
    }

    @Test
    void aStatementsMatchesAndExceptionsWithTheirAge() {
        Answer all = api.client.get("/api/v1/admin/reconciliation/statements/bank-1", KEY_ADMIN);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        List<String> items = new ArrayList<>();
        all.json()
                .get("items")
                .forEach(
                        i ->
                                items.add(
                                        i.get("item").asText()
                                                + " "
                                                + i.get("result").asText()
                                                + " "
                                                + i.get("amountMinor").asLong()
                                                + " age "
                                                + i.get("ageDays")));
        assertThat(items)
                .containsExactly(
                        "line:2 MATCHED 10000 age null",
                        "line:3 UNMATCHED_STATEMENT_LINE 99900 age 4",
                        "tx:p2/w2 UNMATCHED_LEDGER_MOVEMENT 4000 age 3");
        Answer exceptions =
                api.client.get(
                        "/api/v1/admin/reconciliation/statements/bank-1?result=EXCEPTIONS",
                        KEY_ADMIN);
        assertThat(exceptions.json().get("items")).hasSize(2);
        assertThat(
                        api.client
                                .get("/api/v1/admin/reconciliation/statements/never", KEY_ADMIN)
                                .json()
                                .get("items"))
                .isEmpty();
    }

    @Test
    void onlyAdminKeysAndKnownParameters() {
        Answer partner = api.client.get("/api/v1/admin/reconciliation/mismatches", KEY_A);
        assertThat(partner.status()).isEqualTo(403);
        Answer badStatus =
                api.client.get("/api/v1/admin/reconciliation/mismatches?status=SOME", KEY_ADMIN);
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.code()).isEqualTo("INVALID_QUERY_PARAMETER");
        Answer unknown =
                api.client.get("/api/v1/admin/reconciliation/mismatches?kind=X", KEY_ADMIN);
        assertThat(unknown.code()).isEqualTo("INVALID_QUERY_PARAMETER");
        Answer badResult =
                api.client.get(
                        "/api/v1/admin/reconciliation/statements/bank-1?result=NOPE", KEY_ADMIN);
        assertThat(badResult.code()).isEqualTo("INVALID_QUERY_PARAMETER");
        Answer badId = api.client.get("/api/v1/admin/reconciliation/statements/a%20b", KEY_ADMIN);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.code()).isEqualTo("INVALID_ID");
    }
}
