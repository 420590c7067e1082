package io.ledgerflow.testdata.check;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the checker reads: the PostgreSQL read model and the ClickHouse analytics database.
 *
 * @param postgresUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/ledgerflow}
 * @param clickHouseUrl with the database, e.g. {@code jdbc:clickhouse://127.0.0.1:8123/ledgerflow}
 */
public record StoreConnections(
        String postgresUrl,
        String postgresUser,
        String postgresPassword,
        String clickHouseUrl,
        String clickHouseUser,
        String clickHousePassword) {

    Connection postgres() throws SQLException {
        return DriverManager.getConnection(postgresUrl, postgresUser, postgresPassword);
    }

    Connection clickHouse() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", clickHouseUser);
        props.setProperty("password", clickHousePassword == null ? "" : clickHousePassword);
        return DriverManager.getConnection(clickHouseUrl, props);
    }

    @Override
    public String toString() {
        // Passwords stay out of logs.
        return "StoreConnections[" + postgresUrl + ", " + clickHouseUrl + "]";
    }
}
