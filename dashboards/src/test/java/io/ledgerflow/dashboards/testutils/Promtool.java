package io.ledgerflow.dashboards.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' {@code promtool} as a child process. The build puts it on PATH before the tests
 * ({@code dashboards/ensure-promtool}); {@code -Dpromtool=/path/to/promtool} names another one.
 */
public final class Promtool {

    /** What a run printed (stdout and stderr together) and how it ended. */
    public record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Runs {@code promtool args...} in {@code workingDirectory}; at most a minute. */
    public static Result run(Path workingDirectory, String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("promtool", "promtool"));
        command.addAll(List.of(args));
        try {
            Process p =
                    new ProcessBuilder(command)
                            .directory(workingDirectory.toFile())
                            .redirectErrorStream(true)
                            .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish in a minute: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot run "
                            + command.get(0)
                            + " (the build installs it with dashboards/ensure-promtool)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
