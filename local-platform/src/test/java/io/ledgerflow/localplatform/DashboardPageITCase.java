package io.ledgerflow.localplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerflow.localplatform.dashboard.DashboardServer;
import io.ledgerflow.localservers.FreePorts;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The local run's dashboard page as a person sees it: a running platform (real servers, both jobs,
 * the API, the generator's traffic), the page opened in a real headless Chromium (Debian's, driven
 * through its chromedriver; {@code ensure-chromium} installs both), every chart drawn by the chart
 * library with points from the platform's ClickHouse and metrics, and a screenshot saved (the
 * README's, {@code docs/images/dashboard.png}, is one of these).
 */
class DashboardPageITCase {

    /** The panels that must have points: analysts' (ClickHouse) and operational (metrics). */
    private static final Map<String, String> MUST_HAVE_POINTS = new LinkedHashMap<>();

    static {
        MUST_HAVE_POINTS.put("decisions", "Decisions per minute");
        MUST_HAVE_POINTS.put("value", "Value by currency");
        MUST_HAVE_POINTS.put("partners", "Decisions by partner");
        MUST_HAVE_POINTS.put("ops-0", "API requests per second");
        MUST_HAVE_POINTS.put("ops-1", "API latency p99");
        MUST_HAVE_POINTS.put("ops-3", "Kafka records not yet read, per job");
        MUST_HAVE_POINTS.put("ops-4", "Last checkpoint duration, per job");
    }

    /** Drawn when the generator's traffic has produced them: waited for, for the screenshot. */
    private static final List<String> WORTH_WAITING_FOR =
            List.of("refusals", "alerts-rule", "alerts-partner");

    private static final Duration DATA_WITHIN = Duration.ofMinutes(4);
    private static final Duration EXTRA_FOR_SCREENSHOT = Duration.ofSeconds(60);

    @Test
    void theChartsDrawTheRunningPlatformsFigures(@TempDir Path dir) throws Exception {
        GeneratedTraffic traffic = new GeneratedTraffic(20);
        Path keys = traffic.writeApiKeys(dir.resolve("ingest-api"));
        try (RunningPlatform platform =
                        RunningPlatform.start(
                                dir.resolve("data"),
                                FreePorts.next(),
                                Map.of("LEDGERFLOW_API_KEYS_FILE", keys.toString()),
                                System.out::println);
                traffic) {
            DashboardServer page = platform.startDashboard(0);
            traffic.start(platform.api.baseUrl(), new PrintStream(OutputStream.nullOutputStream()));

            ChromeDriver browser = headlessChromium(dir.resolve("chromium-profile"));
            try {
                browser.get(page.url());
                Map<String, Long> points =
                        awaitPoints(browser, MUST_HAVE_POINTS.keySet(), DATA_WITHIN);
                MUST_HAVE_POINTS.forEach(
                        (id, title) ->
                                assertTrue(
                                        points.get(id) > 0,
                                        title
                                                + " has no points after "
                                                + DATA_WITHIN
                                                + ": "
                                                + points));
                // Each chart is Chart.js's, on its canvas, holding the points the figure counts.
                for (String id : MUST_HAVE_POINTS.keySet()) {
                    Object drawn =
                            browser.executeScript(
                                    "const c = Chart.getChart(document.querySelector('#' + arguments[0] + ' canvas'));"
                                            + " return c ? c.data.datasets.reduce((n, d) => n + d.data.length, 0) : -1;",
                                    id);
                    assertEquals(
                            points.get(id), ((Number) drawn).longValue(), id + ": drawn points");
                }
                assertNoPanelErrors(browser);
                // The newest minute drawn is this one or the last (times are instants whatever the
                // JVM's time zone): window starts as epoch millis, read from the chart itself.
                long newest =
                        ((Number)
                                        browser.executeScript(
                                                "const c = Chart.getChart(document.querySelector('#decisions canvas'));"
                                                        + " return Math.max(...c.data.datasets[0].data.map(p => p.x));"))
                                .longValue();
                long age = System.currentTimeMillis() - newest;
                assertTrue(
                        age >= 0 && age < Duration.ofMinutes(3).toMillis(),
                        "the newest minute drawn started " + age + " ms ago");

                // The data endpoint: every analyst panel's SQL ran, and decisions have rows.
                JsonNode analytics = get(page.url() + "api/analytics");
                for (JsonNode panel : analytics.path("panels")) {
                    assertFalse(
                            panel.has("error"),
                            panel.path("title").asText() + ": " + panel.path("error").asText());
                }
                assertTrue(
                        rows(analytics, "Decisions by partner") > 0,
                        "no decisions by partner: " + analytics);
                assertTrue(rows(analytics, "Value by currency") > 0, "no value by currency");

                awaitPoints(browser, WORTH_WAITING_FOR, EXTRA_FOR_SCREENSHOT);
                Path screenshot =
                        Path.of(System.getProperty("dashboard.screenshot", "target/dashboard.png"));
                Files.createDirectories(screenshot.toAbsolutePath().getParent());
                Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
                System.out.println("screenshot: " + screenshot.toAbsolutePath());
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * Debian's Chromium through Debian's chromedriver, headless and quiet: no downloads of a
     * browser or driver (the network is closed on the build machines), no background traffic.
     */
    private static ChromeDriver headlessChromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=1500,1300",
                "--user-data-dir=" + profile);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    /** Each figure's data-points (0 when not drawn yet), once all have points or time is up. */
    private static Map<String, Long> awaitPoints(
            ChromeDriver browser, Iterable<String> ids, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Map<String, Long> points = new LinkedHashMap<>();
            for (String id : ids) {
                Object n =
                        ((JavascriptExecutor) browser)
                                .executeScript(
                                        "const f = document.getElementById(arguments[0]);"
                                                + " return f ? Number(f.dataset.points) : 0;",
                                        id);
                points.put(id, ((Number) n).longValue());
            }
            if (points.values().stream().allMatch(n -> n > 0) || System.nanoTime() > deadline) {
                return points;
            }
            Thread.sleep(2_000);
        }
    }

    private static void assertNoPanelErrors(ChromeDriver browser) {
        @SuppressWarnings("unchecked")
        List<Object> errors =
                (List<Object>)
                        browser.executeScript(
                                "return [...document.querySelectorAll('figure.panel .error')]"
                                        + ".map(e => e.textContent).filter(t => t);");
        assertEquals(new ArrayList<>(), new ArrayList<>(errors), "panels show errors");
    }

    private static int rows(JsonNode analytics, String title) {
        for (JsonNode panel : analytics.path("panels")) {
            if (panel.path("title").asText().equals(title)) {
                return panel.path("rows").size();
            }
        }
        fail("no panel " + title);
        return 0;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return new ObjectMapper().readTree(response.body());
    }
}
