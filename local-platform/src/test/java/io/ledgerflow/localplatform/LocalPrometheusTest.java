package io.ledgerflow.localplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local Prometheus scrapes all four metric sources, and its configuration is valid. */
class LocalPrometheusTest {

    @Test
    void scrapesTheApiBothJobsAndTheNotifier(@TempDir Path dir) throws Exception {
        String config = LocalPrometheus.config("127.0.0.1:8080", 7001, 7002, 8091);

        for (String job : new String[] {"ingest-api", "ledger-job", "sinks-job", "notifier"}) {
            assertTrue(config.contains("- job_name: " + job + "\n"), job + " in\n" + config);
        }
        assertTrue(config.contains("targets: ['127.0.0.1:8091']"), config);
        assertEquals(4, config.split("labels: \\{namespace: local}", -1).length - 1, config);

        // promtool (Debian's prometheus package, installed by the build's ensure-promtool, which
        // --prometheus needs anyway) parses it. Missing is a broken set-up: fail, never skip.
        Path promtool = Path.of("/usr/bin/promtool");
        assertTrue(
                Files.isExecutable(promtool),
                "promtool not installed: run dashboards/ensure-promtool");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        Process check =
                new ProcessBuilder(promtool.toString(), "check", "config", file.toString())
                        .redirectErrorStream(true)
                        .start();
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.exitValue(), output);
    }
}
