package io.ledgerflow.testdata.load;

import io.ledgerflow.testdata.check.RunRecord;
import io.ledgerflow.testdata.check.RunRecorder;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.MovementStream;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.population.Request;
import io.ledgerflow.testdata.target.Outcome;
import io.ledgerflow.testdata.target.Target;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * One whole run against a target: open every account, fund it, then the movement load under the
 * plan, then the captures and voids of holds still open (so nothing is left HELD), recording what
 * was accepted for the check. Each setup phase waits for all its answers before the next starts, so
 * no deposit is sent before its account's OPEN was accepted.
 */
public final class GeneratorRun {

    /** Requests in flight while opening and funding accounts. */
    static final int SETUP_CONCURRENCY = 32;

    /**
     * What a run did.
     *
     * @param setup the openings' and deposits' figures
     * @param load the movement load's figures (the headline numbers)
     * @param record what was accepted, for {@code check}
     */
    public record Result(LoadReport setup, LoadReport load, RunRecord record) {}

    private final Population population;
    private final Target target;
    private final LoadClock clock;
    private final PrintStream progress;
    private final BiConsumer<Request, Outcome> listener;
    private final AtomicReference<LoadRunner> loadRunner = new AtomicReference<>();
    private volatile boolean stopped;

    public GeneratorRun(
            Population population, Target target, LoadClock clock, PrintStream progress) {
        this(population, target, clock, progress, null);
    }

    /**
     * @param progress where setup lines, live progress lines go (null: nowhere)
     * @param listener also told of every answer, on the answering thread (e.g. an embedding
     *     platform's live figures); null for none
     */
    public GeneratorRun(
            Population population,
            Target target,
            LoadClock clock,
            PrintStream progress,
            BiConsumer<Request, Outcome> listener) {
        this.population = population;
        this.target = target;
        this.clock = clock;
        this.progress = progress;
        this.listener = listener;
    }

    /**
     * Ends the movement load early, from any thread (Ctrl-C, a platform shutting down). The open
     * holds are still closed afterwards, so a check finds nothing left HELD.
     */
    public void stop() {
        stopped = true;
        LoadRunner running = loadRunner.get();
        if (running != null) {
            running.stop();
        }
    }

    /**
     * Runs it.
     *
     * @param runId prefix of the run's transaction ids; unique per run
     * @param settle pause after the openings and again after the deposits, so the ledger has
     *     applied them before what depends on them arrives (the API answers when Kafka has the
     *     request, not when the ledger applied it, and the ledger does not keep one account's
     *     requests in order across different ids); a movement that arrives too early is simply
     *     rejected (ACCOUNT_NOT_FOUND, INSUFFICIENT_FUNDS)
     */
    public Result execute(String runId, LoadPlan plan, Duration settle) {
        RunRecorder recorder =
                new RunRecorder(runId, population.settings().namespace(), target.name());
        BiConsumer<Request, Outcome> answers =
                listener == null ? recorder : recorder.andThen(listener);
        LoadRunner runner = new LoadRunner(target, clock, progress, answers);
        LoadRunner quietRunner = new LoadRunner(target, clock, null, answers);
        loadRunner.set(runner);
        if (stopped) {
            runner.stop();
        }
        long start = System.nanoTime();
        LoadReport opens =
                quietRunner.run(population.openings().iterator(), setupPlan(population.openings()));
        target.flush();
        // Accepted is not yet applied: give the ledger the same pause before the deposits.
        sleep(settle);
        List<Movement> deposits = population.openingDeposits(runId);
        LoadReport funding = quietRunner.run(deposits.iterator(), setupPlan(deposits));
        target.flush();
        say(
                "setup: %d accounts opened (%d refused), %d deposits accepted (%d refused) in %.1f s",
                opens.accepted(),
                opens.failed(),
                funding.accepted(),
                funding.failed(),
                (System.nanoTime() - start) / 1e9);
        sleep(settle);

        MovementStream stream = new MovementStream(population, runId);
        LoadReport load = runner.run(stream, plan);
        List<Movement> pending = stream.drainPending();
        if (!pending.isEmpty()) {
            LoadReport closing = quietRunner.run(pending.iterator(), setupPlan(pending));
            say("closed %d open holds (%d refused)", closing.accepted(), closing.failed());
        }
        target.flush();
        return new Result(funding, load, recorder.record());
    }

    private static LoadPlan setupPlan(List<? extends Request> requests) {
        return LoadPlan.closedLoop(SETUP_CONCURRENCY, Math.max(1, requests.size()), null)
                .withProgressInterval(null);
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.println(String.format(Locale.ROOT, format, args));
        }
    }

    private static void sleep(Duration d) {
        if (d == null || d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
