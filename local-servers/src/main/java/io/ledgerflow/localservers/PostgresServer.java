package io.ledgerflow.localservers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server (official binaries from Maven Central) hosted by {@link PostgresMain}.
 *
 * <p>Local trust authentication for user {@value #USER}; the database {@value #DATABASE} is created
 * on first start. The data directory persists across restarts.
 */
public final class PostgresServer extends ServerProcess {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    public static final String DATABASE = "ledgerflow";

    private final int port;

    public PostgresServer(Path dataDir, int port, Lifetime lifetime) {
        super("postgres", dataDir, lifetime, Duration.ofSeconds(90));
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("jdbc", jdbcUrl(), "user", USER);
    }

    private Path pgData() {
        return dataDir().resolve("pgdata");
    }

    @Override
    protected void prepare() {
        writeLogConfig("io.zonky");
    }

    @Override
    protected List<String> command() {
        return List.of(
                ServerRuntime.javaExecutable(),
                "-Xmx192m", // unpacking the binaries (xz) on first use needs the room
                "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + dataDir().resolve("log4j2.properties"),
                "-cp",
                ServerRuntime.load().serverClasspath(),
                ParentWatch.class.getName(),
                PostgresMain.class.getName(),
                Integer.toString(port),
                pgData().toString(),
                DATABASE);
    }

    @Override
    protected boolean isReady() {
        return portOpen(port) && loggedSinceStart("READY port=" + port);
    }

    /** pg_ctl daemonizes the postmaster, so it is not a descendant of the host JVM. */
    @Override
    protected List<ProcessHandle> detachedParts() {
        Path pidFile = pgData().resolve("postmaster.pid");
        try {
            if (Files.exists(pidFile)) {
                String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim();
                return ProcessHandle.of(Long.parseLong(first)).stream().toList();
            }
        } catch (IOException | RuntimeException gone) {
            // No running postmaster.
        }
        return List.of();
    }
}
