package io.ledgerflow.localplatform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A modest, steady stream of transfers between a handful of demo accounts, posted to the ingest API
 * like a partner would, so a person sees money flowing. (The test-data generator is the tool for
 * realistic populations and load.)
 */
final class DemoTraffic implements AutoCloseable {

    /** The ingest API's development partner key (see ingest-api/README.md). */
    static final String DEV_PARTNER_KEY = "dev-partner-key";

    private static final int ACCOUNTS = 20;

    private final String baseUrl;
    private final String apiKey;
    private final double ratePerSecond;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "demo-traffic"));
    private final Random random = new Random();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong next = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    /** When the API accepted each transaction still waiting for its result (nanoTime). */
    final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

    DemoTraffic(String baseUrl, String apiKey, double ratePerSecond) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * Opens the demo accounts (existing ones are refused by the ledger, harmlessly), funds them,
     * then starts the transfers. Each step waits for the API's answers to the previous one, so no
     * transfer is ever queued before its accounts' OPEN.
     */
    void start() {
        List<CompletableFuture<?>> opens = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS; i++) {
            String body =
                    String.format(
                            Locale.ROOT, "{\"accountId\":\"%s\",\"currency\":\"EUR\"}", account(i));
            opens.add(post("/api/v1/accounts", body, null));
        }
        CompletableFuture.allOf(opens.toArray(CompletableFuture[]::new)).join();
        List<CompletableFuture<?>> deposits = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS; i++) {
            String id = "demo-" + run + "-deposit-" + i;
            String body =
                    String.format(
                            Locale.ROOT,
                            "{\"transactionId\":\"%s\",\"type\":\"DEPOSIT\","
                                    + "\"destinationAccountId\":\"%s\",\"amount\":\"1000.00\","
                                    + "\"currency\":\"EUR\"}",
                            id,
                            account(i));
            deposits.add(post("/api/v1/transactions", body, id));
        }
        CompletableFuture.allOf(deposits.toArray(CompletableFuture[]::new)).join();
        long periodMicros = (long) (1_000_000 / ratePerSecond);
        scheduler.scheduleAtFixedRate(this::transfer, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void transfer() {
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        String id = "demo-" + run + "-" + next.incrementAndGet();
        String amount =
                String.format(Locale.ROOT, "%d.%02d", 1 + random.nextInt(80), random.nextInt(100));
        post(
                "/api/v1/transactions",
                String.format(
                        Locale.ROOT,
                        "{\"transactionId\":\"%s\",\"type\":\"TRANSFER\",\"sourceAccountId\":\"%s\",\"destinationAccountId\":\"%s\",\"amount\":\"%s\",\"currency\":\"EUR\"}",
                        id,
                        account(from),
                        account(to == 0 ? ACCOUNTS : to),
                        amount),
                id);
    }

    private CompletableFuture<?> post(String path, String body, String transactionId) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                        (response, error) -> {
                            if (error == null && response.statusCode() == 202) {
                                accepted.incrementAndGet();
                                if (transactionId != null) {
                                    acceptedAt.put(transactionId, System.nanoTime());
                                }
                            } else if (transactionId != null) {
                                refused.incrementAndGet();
                            }
                        });
    }

    /** A demo account to look at (its balance moves as the traffic flows). */
    static String firstAccount() {
        return account(1);
    }

    private static String account(int i) {
        return String.format(Locale.ROOT, "demo-%02d", i);
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
