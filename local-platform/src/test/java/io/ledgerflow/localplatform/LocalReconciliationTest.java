package io.ledgerflow.localplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.reconcile.ReconcileConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run's reconcile command: the arguments it is given are the command's own (its parser
 * accepts them), passwords travel outside the process list, and what the run prints names a route
 * the API has.
 */
class LocalReconciliationTest {

    private static final List<String> ARGS =
            LocalReconciliation.arguments(
                    "127.0.0.1:19092",
                    "http://127.0.0.1:18081/apis/ccompat/v7",
                    "jdbc:postgresql://127.0.0.1:15432/ledgerflow",
                    "postgres",
                    "jdbc:clickhouse://127.0.0.1:18123",
                    "ledgerflow",
                    19464);

    @Test
    void theCommandsOwnParserAcceptsTheArgumentsAndThePasswordsComeFromTheEnvironment() {
        ReconcileConfig config =
                ReconcileConfig.read(
                        Settings.fromArgs(
                                ARGS.toArray(String[]::new),
                                LocalReconciliation.environment("secret-pw")));
        assertEquals(Duration.ofSeconds(10), config.every());
        assertEquals(19464, config.metricsPort());
        assertEquals("127.0.0.1:19092", config.kafka().bootstrapServers());
        assertEquals("jdbc:postgresql://127.0.0.1:15432/ledgerflow", config.postgres().url());
        assertEquals("secret-pw", config.postgres().password().reveal());
        assertEquals("", config.clickHouse().password().reveal());
        assertEquals("jdbc:clickhouse://127.0.0.1:18123", config.clickHouse().url());
        assertFalse(String.join(" ", ARGS).contains("secret-pw"));
        assertFalse(String.join(" ", ARGS).contains("password"));
    }

    @Test
    void anArgumentTheCommandRefusesStopsTheStartBeforeAnyProcess(@TempDir Path dir) {
        List<String> wrong = new ArrayList<>(ARGS);
        wrong.set(wrong.indexOf("--every") + 1, "-5s");
        IllegalArgumentException refused =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LocalReconciliation.start(
                                        dir, wrong, LocalReconciliation.environment("pw")));
        assertTrue(refused.getMessage().contains("--every"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("reconcile.log")));
    }

    @Test
    void whatTheRunPrintsNamesTheApisMismatchesRouteWithTheAdminKey() throws IOException {
        String printed =
                LocalReconciliation.describe(
                        "http://127.0.0.1:8080",
                        "the-admin-key",
                        "http://127.0.0.1:19464/metrics",
                        Path.of("/data/reconcile/reconcile.log"));
        assertTrue(
                printed.contains(
                        "curl -H 'X-Api-Key: the-admin-key'"
                                + " 'http://127.0.0.1:8080/api/v1/admin/reconciliation/mismatches"
                                + "?status=OPEN'"),
                printed);
        assertTrue(printed.contains("http://127.0.0.1:19464/metrics"), printed);
        assertTrue(printed.contains("/data/reconcile/reconcile.log"), printed);
        // The route and its status values are the API's (its OpenAPI document).
        String openApi;
        try (InputStream in =
                getClass().getResourceAsStream("/io/ledgerflow/ingest/openapi.yaml")) {
            openApi = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(openApi.contains("\n  " + LocalReconciliation.MISMATCHES_ROUTE + ":\n"));
        String route =
                openApi.substring(openApi.indexOf("\n  " + LocalReconciliation.MISMATCHES_ROUTE));
        route = route.substring(0, route.indexOf("\n  /", 3));
        assertTrue(route.contains("OPEN") && route.contains("ALL"), route);
    }
}
