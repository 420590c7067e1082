package io.ledgerflow.testdata.testutils;

import io.ledgerflow.testdata.population.Request;
import io.ledgerflow.testdata.target.Outcome;
import io.ledgerflow.testdata.target.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * A target that answers synchronously after a simulated service time (advancing the simulated
 * clock, as a blocking call would), refusing the requests a rule says; records send times.
 */
public final class SimulatedTarget implements Target {

    private final SimulatedClock clock;
    private final ToLongFunction<Integer> serviceMillisOfNth;
    private final java.util.function.IntFunction<String> errorOfNth;
    public final List<Long> sendTimes = new ArrayList<>();

    /**
     * @param serviceMillisOfNth service time of the n-th request (0-based)
     * @param errorOfNth error type of the n-th request, or null to accept it
     */
    public SimulatedTarget(
            SimulatedClock clock,
            ToLongFunction<Integer> serviceMillisOfNth,
            java.util.function.IntFunction<String> errorOfNth) {
        this.clock = clock;
        this.serviceMillisOfNth = serviceMillisOfNth;
        this.errorOfNth = errorOfNth;
    }

    @Override
    public CompletableFuture<Outcome> send(Request request) {
        int n = sendTimes.size();
        sendTimes.add(clock.nanoTime());
        clock.advanceMillis(serviceMillisOfNth.applyAsLong(n));
        String error = errorOfNth.apply(n);
        return CompletableFuture.completedFuture(
                error == null ? Outcome.success() : Outcome.failed(error));
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void close() {}
}
