package io.ledgerflow.sinks.clickhouse;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the analytics store lives: a ClickHouse JDBC URL without database ({@code
 * jdbc:clickhouse://host:8123}), the database and credentials. Serializable so sink writers can
 * open their own connections on the TaskManagers.
 */
public record ClickHouseTarget(String url, String database, String user, String password)
        implements Serializable {

    /** A connection with {@link #database} as the default database. */
    public Connection connect() throws SQLException {
        return connect(database);
    }

    /** A connection to the server's {@code default} database, for creating {@link #database}. */
    public Connection connectToServer() throws SQLException {
        return connect("default");
    }

    private Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(url + "/" + db, props);
    }
}
