package io.ledgerflow.ingest.auth;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where partners and keys live: opens plain JDBC connections to PostgreSQL. No pool: the directory
 * keeps one connection for its polls, and admin actions are rare enough (a few a day) to open one
 * each.
 */
public final class PartnerDatabase {

    private final String jdbcUrl;
    private final Properties properties = new Properties();

    public PartnerDatabase(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("ApplicationName", "ledgerflow-partners");
    }

    public Connection open() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }
}
