package io.ledgerflow.sinks.postgres;

import io.ledgerflow.schemas.config.PostgresSettings;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the month partitions of {@code transactions} and {@code ledger_entries} ahead of the clock
 * (migration V9's {@code ledgerflow_maintain_partitions}): the writer of the transactions calls it
 * when it starts and then once a day.
 *
 * <p>Failing here never fails a write: a row whose month does not exist yet lands in the table's
 * default partition and is moved into its month when the month is created, so a missed run costs
 * query speed for a while, never a row. Hence failures are logged, not thrown.
 */
public final class MonthPartitions implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(MonthPartitions.class);

    /** How many months after the current one exist at all times. */
    static final int MONTHS_AHEAD = 3;

    /** How often a long-running writer runs it again. */
    static final Duration INTERVAL = Duration.ofDays(1);

    private final PostgresSettings postgres;

    public MonthPartitions(PostgresSettings postgres) {
        this.postgres = postgres;
    }

    /** Creates the months that are missing; returns how many it created, or -1 if it failed. */
    public int maintain() {
        try (Connection c =
                        DriverManager.getConnection(
                                postgres.url(), postgres.user(), postgres.password().reveal());
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT ledgerflow_maintain_partitions(" + MONTHS_AHEAD + ")")) {
            rs.next();
            int created = rs.getInt(1);
            if (created > 0) {
                LOG.info("Created {} month partitions of the read model", created);
            }
            return created;
        } catch (SQLException e) {
            LOG.warn(
                    "Could not create the read model's next month partitions (rows of a missing"
                            + " month wait in the default partition until a later run): {}",
                    e.toString());
            return -1;
        }
    }
}
