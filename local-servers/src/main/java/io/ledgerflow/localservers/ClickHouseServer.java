package io.ledgerflow.localservers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real ClickHouse engine (chDB, ClickHouse as a library) behind a small HTTP front that speaks
 * ClickHouse's HTTP interface; see {@code local-servers/clickhouse-front/README.md}.
 *
 * <p>This is the local stand-in for a ClickHouse server: nothing in the project knows the
 * difference, and everything works unchanged against a real server URL.
 */
public final class ClickHouseServer extends ServerProcess {

    /** Memory the ClickHouse engine may use for queries. */
    public static final long MAX_MEMORY_BYTES = 1L << 30;

    private final int port;

    public ClickHouseServer(Path dataDir, int port, Lifetime lifetime) {
        super("clickhouse", dataDir, lifetime, Duration.ofSeconds(90));
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** Base URL of the HTTP interface. */
    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** JDBC URL for {@code com.clickhouse:clickhouse-jdbc}, user {@code default}, no password. */
    public String jdbcUrl(String database) {
        return "jdbc:clickhouse://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("http", httpUrl(), "jdbc", jdbcUrl("default"));
    }

    @Override
    protected List<String> command() {
        Path front = ServerRuntime.load().clickHouseFrontDir();
        return List.of(
                "node",
                "--max-old-space-size=256",
                front.resolve("server.js").toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDir().resolve("data").toString(),
                "--max-memory-bytes",
                Long.toString(MAX_MEMORY_BYTES));
    }

    @Override
    protected boolean isReady() {
        return httpOk(httpUrl() + "/ping");
    }
}
