package io.ledgerflow.schemas.config;

import java.io.Serializable;

/**
 * How a process reaches ClickHouse (analytics). {@link #toString} masks the password.
 *
 * @param url JDBC URL of the server, {@code jdbc:clickhouse://host:8123}
 * @param database the analytics database
 * @param user ClickHouse user
 * @param password ClickHouse password
 */
public record ClickHouseSettings(String url, String database, String user, Secret password)
        implements Serializable {

    /**
     * Reads {@code clickhouse-url}, {@code clickhouse-database}, {@code clickhouse-user} and {@code
     * clickhouse-password} (or {@code clickhouse-password-file}, or the variable {@code
     * passwordVariable}; see {@link Settings#secret}).
     */
    public static ClickHouseSettings read(
            Settings s, String passwordVariable, ClickHouseSettings defaults) {
        return new ClickHouseSettings(
                s.jdbcUrl("clickhouse-url", defaults.url(), "clickhouse"),
                s.string("clickhouse-database", defaults.database()),
                s.string("clickhouse-user", defaults.user()),
                s.secret("clickhouse-password", passwordVariable, defaults.password()));
    }
}
