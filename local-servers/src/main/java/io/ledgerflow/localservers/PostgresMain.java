package io.ledgerflow.localservers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Host JVM of the local PostgreSQL: runs the real PostgreSQL binaries (shipped on Maven Central by
 * zonky) on a data directory that survives restarts, and stops them when this JVM ends.
 *
 * <p>Arguments: {@code <port> <data directory> <database>}. Prints {@code READY} once the database
 * accepts connections.
 */
public final class PostgresMain {

    /** Unpacked binaries, shared by every local PostgreSQL of this user and version. */
    private static final Path BINARIES_DIR =
            Path.of(System.getProperty("java.io.tmpdir"), "ledgerflow-embedded-pg");

    private PostgresMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        String database = args[2];

        EmbeddedPostgres postgres;
        try {
            postgres = start(port, dataDir);
        } catch (IOException e) {
            // A host JVM killed while unpacking leaves a half-written binaries directory that
            // zonky cannot unpack over; start once more from a clean one.
            System.err.println("PostgreSQL failed to start (" + e + "); unpacking binaries again");
            deleteRecursively(BINARIES_DIR);
            postgres = start(port, dataDir);
        }
        EmbeddedPostgres running = postgres;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        running.close();
                                    } catch (Exception e) {
                                        System.err.println("stopping PostgreSQL: " + e);
                                    } finally {
                                        stopped.countDown();
                                    }
                                },
                                "postgres-stop"));

        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            ResultSet exists =
                    statement.executeQuery(
                            "SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + database);
            }
        }
        System.out.println("READY port=" + port + " database=" + database);
        System.out.flush();
        stopped.await();
    }

    private static EmbeddedPostgres start(int port, Path dataDir) throws IOException {
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(BINARIES_DIR.toFile())
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // Explicit memory: shared buffers plus a bounded number of backends.
                .setServerConfig("shared_buffers", "128MB")
                .setServerConfig("work_mem", "8MB")
                .setServerConfig("max_connections", "100")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
