package io.ledgerflow.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Create, insert and select on the real PostgreSQL; the data survives a server restart. */
@ExtendWith(PostgresExtension.class)
class PostgresServerITCase {

    @Test
    void roundTripSurvivesRestart(PostgresServer postgres) throws Exception {
        try (Connection c = connect(postgres);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE smoke_accounts (id text PRIMARY KEY, balance_minor bigint NOT"
                            + " NULL)");
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO smoke_accounts VALUES (?, ?)")) {
                for (int i = 0; i < 100; i++) {
                    insert.setString(1, "acct-" + i);
                    insert.setLong(2, i * 100L);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(100);
            }
        }

        postgres.restart();

        try (Connection c = connect(postgres);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*), sum(balance_minor) FROM smoke_accounts")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(100);
            assertThat(rs.getLong(2)).isEqualTo(495_000L);
        }
    }

    private static Connection connect(PostgresServer postgres) throws Exception {
        return DriverManager.getConnection(
                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
    }
}
