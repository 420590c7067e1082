package io.ledgerflow.localplatform;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.population.Request;
import io.ledgerflow.testdata.target.HttpTarget;
import io.ledgerflow.testdata.target.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The test-data generator driving the local platform through the ingest API: a seeded population of
 * partners and accounts (opened and funded first), then movements at a fixed open-loop rate until
 * stopped, with the generator's usual share of invalid requests and injected fraud patterns. It
 * also remembers when the API accepted each movement, for the ledger monitor's latency figure.
 */
final class GeneratedTraffic implements AutoCloseable {

    /** Partners of the local population: enough to look like many, few enough to open quickly. */
    static final int PARTNERS = 100;

    static final int ACCOUNTS_PER_PARTNER = 5;

    final Population population;

    /** Movements of the load the API accepted, and refused; the opening deposits apart. */
    final AtomicLong accepted = new AtomicLong();

    final AtomicLong refused = new AtomicLong();

    /** The opening deposits (one per account, before the load) the API accepted. */
    final AtomicLong openingDeposits = new AtomicLong();

    /** When the API accepted each movement still waiting for its result (nanoTime). */
    final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

    /**
     * The refunds among {@link #acceptedAt}: a refund may wait at its account, up to the ledger's
     * park window (10 s), for the credit it refunds, and the generator refunds recent transfers on
     * purpose; their time to a decision is shown apart so it does not hide everybody else's.
     */
    final Set<String> refunds = ConcurrentHashMap.newKeySet();

    private final double rate;
    private GeneratorRun run;
    private Thread thread;

    GeneratedTraffic(double rate) {
        this.rate = rate;
        // The same seed on every start: a later run on the same data directory finds its accounts
        // already open (the ledger refuses the second OPEN) and simply moves money again. Each
        // partner also has a SETTLEMENT account per currency, for the settlement command.
        this.population =
                Population.generate(
                        GeneratorSettings.defaults()
                                .withPopulation(PARTNERS, ACCOUNTS_PER_PARTNER)
                                .toBuilder()
                                .settlementAccounts(true)
                                .build());
    }

    /** Writes the API keys file of the population's partners (the API reads it at start). */
    Path writeApiKeys(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("api-keys");
        Files.write(file, population.apiKeysFileLines());
        return file;
    }

    /**
     * Starts opening, funding, then the movement load, on its own thread; the generator's own lines
     * (its setup, then its figures every 5 s) go to {@code progress}.
     */
    void start(String apiBaseUrl, PrintStream progress) {
        run =
                new GeneratorRun(
                        population,
                        new HttpTarget(apiBaseUrl, population, Duration.ofSeconds(10)),
                        LoadClock.SYSTEM,
                        progress,
                        this::answered);
        LoadPlan plan =
                LoadPlan.openLoop(rate, Long.MAX_VALUE, null)
                        .withProgressInterval(Duration.ofSeconds(5));
        String runId = "local-" + Long.toString(System.currentTimeMillis(), 36);
        thread =
                new Thread(
                        () -> run.execute(runId, plan, Duration.ofSeconds(3)), "generated-traffic");
        thread.setDaemon(true);
        thread.start();
    }

    private void answered(Request request, Outcome outcome) {
        if (!(request instanceof Movement movement)) {
            return;
        }
        if (isOpeningDeposit(movement.transactionId())) {
            if (outcome.accepted()) {
                openingDeposits.incrementAndGet();
            }
            return;
        }
        if (outcome.accepted()) {
            accepted.incrementAndGet();
            if (movement.type() == MovementType.REFUND) {
                refunds.add(movement.transactionId());
            }
            acceptedAt.put(movement.transactionId(), System.nanoTime());
        } else {
            refused.incrementAndGet();
        }
    }

    /** The ids {@link Population#openingDeposits} gives the deposits that fund each new account. */
    static boolean isOpeningDeposit(String transactionId) {
        return transactionId.contains("-open-");
    }

    @Override
    public void close() throws InterruptedException {
        if (run != null) {
            run.stop();
        }
        if (thread != null) {
            thread.join(15_000);
        }
    }
}
