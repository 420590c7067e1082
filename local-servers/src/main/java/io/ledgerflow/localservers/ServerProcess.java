package io.ledgerflow.localservers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real server running as a child process: started, probed until ready within a bound, stopped
 * without leaving anything behind.
 *
 * <p>A server is either {@link Lifetime#ATTACHED attached} to the JVM that starts it (tests: the
 * child exits when that JVM does, however it ends) or {@link Lifetime#DETACHED detached} (the
 * {@code local-servers up} command: the child runs in its own session until {@code down}). Output
 * goes to {@link #logFile()}; a server that fails to become ready is stopped and reported with the
 * tail of that log.
 */
public abstract class ServerProcess implements AutoCloseable {

    /** Whether the server lives and dies with the JVM that started it. */
    public enum Lifetime {
        ATTACHED,
        DETACHED
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Path dataDir;
    private final Lifetime lifetime;
    private final Duration startupTimeout;
    private volatile ProcessHandle handle;
    private volatile long logOffsetAtStart;

    protected ServerProcess(String name, Path dataDir, Lifetime lifetime, Duration startupTimeout) {
        this.name = name;
        this.dataDir = dataDir.toAbsolutePath();
        this.lifetime = lifetime;
        this.startupTimeout = startupTimeout;
    }

    /** The command line of the server process. */
    protected abstract List<String> command();

    /** True once the server answers its clients; called repeatedly while starting. */
    protected abstract boolean isReady();

    /** Where clients reach the server, for people and logs (name to address). */
    public abstract Map<String, String> endpoints();

    /** Creates configuration files before the first and every later start. */
    protected void prepare() throws IOException {}

    /** Extra environment for the server process. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /**
     * Processes that belong to the server but are not descendants of its process (PostgreSQL's
     * postmaster is daemonized by pg_ctl). They count towards memory and are killed on stop.
     */
    protected List<ProcessHandle> detachedParts() {
        return List.of();
    }

    public final String name() {
        return name;
    }

    /** The directory holding the server's data, configuration and log. */
    public final Path dataDir() {
        return dataDir;
    }

    public final Path logFile() {
        return dataDir.resolve(name + ".log");
    }

    /** Starts the server and waits until it is ready. Does nothing if it already runs. */
    public final synchronized void start() {
        if (isRunning()) {
            return;
        }
        Process process;
        try {
            Files.createDirectories(dataDir);
            prepare();
            List<String> command = new ArrayList<>();
            if (lifetime == Lifetime.DETACHED && new File("/usr/bin/setsid").canExecute()) {
                // A new session: the terminal's Ctrl-C or hang-up of `up` does not reach it.
                command.add("/usr/bin/setsid");
            }
            command.addAll(command());
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .directory(dataDir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment());
            if (lifetime == Lifetime.ATTACHED) {
                builder.environment()
                        .put(
                                ParentWatch.PARENT_PID_ENV,
                                Long.toString(ProcessHandle.current().pid()));
            }
            logOffsetAtStart = Files.exists(logFile()) ? Files.size(logFile()) : 0;
            process = builder.start();
        } catch (IOException e) {
            throw new ServerStartException("could not start " + name + ": " + e.getMessage(), e);
        }
        handle = process.toHandle();
        awaitReady(process);
    }

    private void awaitReady(Process process) {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (!isReady()) {
            if (!process.isAlive()) {
                handle = null;
                throw failure(
                        name + " exited with code " + process.exitValue() + " while starting");
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw failure(name + " was not ready within " + startupTimeout.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    private ServerStartException failure(String message) {
        return new ServerStartException(
                message + "; last lines of " + logFile() + ":\n" + String.join("\n", logTail()));
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace period) and all its processes. */
    public final synchronized void stop() {
        ProcessHandle current = handle;
        List<ProcessHandle> parts = new ArrayList<>(detachedParts());
        if (current != null) {
            List<ProcessHandle> tree = new ArrayList<>();
            tree.add(current);
            current.descendants().forEach(tree::add);
            terminate(tree);
        }
        // Only now: a clean stop of the main process normally takes its detached parts with it
        // (signalling them first would race its orderly shutdown); this waits until they are
        // gone and kills whatever is left.
        parts.addAll(detachedParts());
        terminate(parts);
        handle = null;
    }

    private static void terminate(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (Exception timedOut) {
                p.destroyForcibly();
            }
        }
    }

    /** Stops and starts again on the same ports and data (e.g. a database outage in a test). */
    public final void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    public final boolean isRunning() {
        ProcessHandle current = handle;
        return current != null && current.isAlive();
    }

    public final OptionalLong pid() {
        ProcessHandle current = handle;
        return current != null && current.isAlive()
                ? OptionalLong.of(current.pid())
                : OptionalLong.empty();
    }

    /**
     * Takes over a server started earlier by another JVM (the {@code down} and {@code status}
     * commands), given its recorded pid.
     */
    final void adopt(long pid) {
        Optional<ProcessHandle> found = ProcessHandle.of(pid);
        handle = found.filter(ProcessHandle::isAlive).orElse(null);
    }

    /** True if the server answers now, without starting it. */
    public final boolean answers() {
        return isReady();
    }

    /** Resident memory of the server's processes, summed, from /proc. */
    public final long residentSetBytes() {
        List<ProcessHandle> all = new ArrayList<>(detachedParts());
        ProcessHandle current = handle;
        if (current != null) {
            all.add(current);
            current.descendants().forEach(all::add);
        }
        return all.stream()
                .filter(ProcessHandle::isAlive)
                .distinct()
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .distinct()
                .mapToLong(p -> rssOf(p.pid()))
                .sum();
    }

    private static long rssOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // The process ended between listing and reading.
        }
        return 0;
    }

    /** The last lines of the server log, for error messages. */
    public final List<String> logTail() {
        try {
            if (!Files.exists(logFile())) {
                return List.of("(no log)");
            }
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(log unreadable: " + e.getMessage() + ")");
        }
    }

    /** True if the log written since the last start contains {@code text}. */
    protected final boolean loggedSinceStart(String text) {
        try {
            if (!Files.exists(logFile())) {
                return false;
            }
            byte[] all = Files.readAllBytes(logFile());
            int from = (int) Math.min(logOffsetAtStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    protected final Lifetime lifetime() {
        return lifetime;
    }

    protected static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if a GET of {@code url} answers 200 within a second. */
    protected static boolean httpOk(String url) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    protected static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Log4j 2 configuration for server JVMs: INFO to standard output, which is the log file. */
    protected final Path writeLogConfig(String quietLoggers) {
        Path file = dataDir.resolve("log4j2.properties");
        StringBuilder config =
                new StringBuilder(
                        "status = warn\n"
                                + "appender.out.type = Console\n"
                                + "appender.out.name = OUT\n"
                                + "appender.out.layout.type = PatternLayout\n"
                                + "appender.out.layout.pattern = [%d] %p %m (%c)%n\n"
                                + "rootLogger.level = INFO\n"
                                + "rootLogger.appenderRef.out.ref = OUT\n");
        int i = 0;
        for (String logger : quietLoggers.split(",")) {
            if (!logger.isBlank()) {
                config.append("logger.q").append(i).append(".name = ").append(logger.trim());
                config.append("\nlogger.q").append(i++).append(".level = WARN\n");
            }
        }
        writeString(file, config.toString());
        return file;
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException("interrupted while waiting for a server", e);
        }
    }
}
