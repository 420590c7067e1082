package io.ledgerflow.localservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The four local servers under one directory chosen by a person, with the ports and pids recorded
 * in {@code servers.properties} so that {@code status} and {@code down} find servers started by an
 * earlier {@code up}, and a later {@code up} reuses the same ports (clients and the Kafka metadata
 * log keep working across restarts).
 */
public final class LocalServers {

    private static final String STATE_FILE = "servers.properties";

    private final Path root;
    private final Properties state = new Properties();
    private final KafkaServer kafka;
    private final SchemaRegistryServer schemaRegistry;
    private final PostgresServer postgres;
    private final ClickHouseServer clickHouse;

    public LocalServers(Path root, ServerProcess.Lifetime lifetime) {
        this.root = root.toAbsolutePath();
        loadState();
        kafka =
                new KafkaServer(
                        this.root.resolve("kafka"),
                        port("kafka.port"),
                        port("kafka.controller.port"),
                        lifetime);
        schemaRegistry =
                new SchemaRegistryServer(
                        this.root.resolve("schema-registry"),
                        port("schema-registry.port"),
                        lifetime);
        postgres =
                new PostgresServer(this.root.resolve("postgres"), port("postgres.port"), lifetime);
        clickHouse =
                new ClickHouseServer(
                        this.root.resolve("clickhouse"), port("clickhouse.port"), lifetime);
        for (ServerProcess server : all()) {
            String pid = state.getProperty(server.name() + ".pid");
            if (pid != null) {
                server.adopt(Long.parseLong(pid));
            }
        }
    }

    public Path root() {
        return root;
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public SchemaRegistryServer schemaRegistry() {
        return schemaRegistry;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public ClickHouseServer clickHouse() {
        return clickHouse;
    }

    /** In start order. */
    public List<ServerProcess> all() {
        return List.of(kafka, schemaRegistry, postgres, clickHouse);
    }

    /**
     * Starts every server that is not running yet, in parallel (the machine has few cores, but most
     * of start-up is waiting), and records their pids. Fails if any fails, after stopping the ones
     * this call started.
     */
    public void start() {
        List<ServerProcess> started = new ArrayList<>();
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (ServerProcess server : all()) {
            if (server.isRunning() && server.answers()) {
                continue;
            }
            started.add(server);
            starts.add(CompletableFuture.runAsync(server::start));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            started.forEach(ServerProcess::stop);
            saveState();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            saveState();
        }
    }

    /** Stops every server, last started first. */
    public void stop() {
        List<ServerProcess> reversed = new ArrayList<>(all());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServerProcess::stop);
        saveState();
    }

    private int port(String key) {
        String recorded = state.getProperty(key);
        if (recorded != null) {
            return Integer.parseInt(recorded);
        }
        int port = FreePorts.next();
        state.setProperty(key, Integer.toString(port));
        return port;
    }

    private void loadState() {
        Path file = root.resolve(STATE_FILE);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void saveState() {
        for (ServerProcess server : all()) {
            server.pid()
                    .ifPresentOrElse(
                            pid -> state.setProperty(server.name() + ".pid", Long.toString(pid)),
                            () -> state.remove(server.name() + ".pid"));
        }
        try {
            Files.createDirectories(root);
            try (OutputStream out = Files.newOutputStream(root.resolve(STATE_FILE))) {
                state.store(out, "Ledgerflow local servers: ports and pids");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
