package io.ledgerflow.localservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MergeTree DDL, a batch insert through clickhouse-jdbc and a select on the ClickHouse engine. */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseServerITCase {

    private static final int ROWS = 10_000;

    @Test
    void batchInsertAndSelectThroughJdbc(ClickHouseServer clickHouse) throws Exception {
        try (Connection c = DriverManager.getConnection(clickHouse.jdbcUrl("default"));
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS smoke");
            s.execute(
                    "CREATE TABLE smoke.movements (id String, currency LowCardinality(String),"
                            + " amount Decimal(18, 2), at DateTime64(3, 'UTC'))"
                            + " ENGINE = MergeTree ORDER BY (currency, id)");
            Instant start = Instant.parse("2026-11-21T00:00:00Z");
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO smoke.movements VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setString(1, "tx-" + i);
                    insert.setString(2, i % 2 == 0 ? "EUR" : "USD");
                    insert.setBigDecimal(3, BigDecimal.valueOf(i, 2));
                    insert.setTimestamp(4, Timestamp.from(start.plusMillis(i)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }

        clickHouse.restart();

        try (Connection c = DriverManager.getConnection(clickHouse.jdbcUrl("smoke"));
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT currency, count(), sum(amount), max(at) FROM movements"
                                        + " GROUP BY currency ORDER BY currency")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("EUR");
            assertThat(rs.getLong(2)).isEqualTo(ROWS / 2);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("USD");
            assertThat(rs.getLong(2)).isEqualTo(ROWS / 2);
            assertThat(rs.next()).isFalse();
        }
        try (Connection c = DriverManager.getConnection(clickHouse.jdbcUrl("smoke"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum(amount) FROM movements")) {
            assertThat(rs.next()).isTrue();
            // sum of i/100 for i in [0, 10000) = 499,950.00
            assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("499950.00");
        }
    }

    @Test
    void errorsCarryClickHouseCodes(ClickHouseServer clickHouse) throws Exception {
        try (Connection c = DriverManager.getConnection(clickHouse.jdbcUrl("default"));
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("60");
        }
    }
}
