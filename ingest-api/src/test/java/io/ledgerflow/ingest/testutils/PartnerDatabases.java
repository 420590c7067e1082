package io.ledgerflow.ingest.testutils;

import io.ledgerflow.localservers.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh PostgreSQL database for partners as data, and the API settings that use it (the API
 * applies the migrations itself at start).
 */
public final class PartnerDatabases {

    private PartnerDatabases() {}

    /** Drops and creates {@code name}; returns its JDBC URL. */
    public static String create(PostgresServer postgres, String name) {
        try (Connection c =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return postgres.jdbcUrl(name);
    }

    /** API settings for partners in the database at {@code jdbcUrl}. */
    public static Map<String, String> env(String jdbcUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGERFLOW_PARTNERS_JDBC_URL", jdbcUrl);
        env.put("LEDGERFLOW_PARTNERS_USER", PostgresServer.USER);
        env.put("LEDGERFLOW_PARTNERS_PASSWORD", PostgresServer.PASSWORD);
        return env;
    }

    public static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
    }
}
