package io.ledgerflow.readmodel;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small fixed pool of read model connections, for the single-row lookups ({@link
 * PostgresReadModel}) and the history queries alike: slots opened lazily (a pool can be created
 * while the database is down), server-side prepared statements from the first execution (both
 * repeat a handful of shapes), and a connection that failed is closed and replaced on the next use,
 * so a database restart costs the queries in flight and nothing more. Thread-safe.
 */
public final class ReadModelConnections implements AutoCloseable {

    private final String jdbcUrl;
    private final Properties properties;
    private final BlockingQueue<Slot> pool;
    private final Duration acquireTimeout;

    /** A pooled connection; null until first used and after a failure. */
    private static final class Slot {
        Connection connection;
    }

    /** Work done on one pooled connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * @param poolSize connections kept open; a caller waits up to {@code acquireTimeout} for one
     */
    public ReadModelConnections(
            String jdbcUrl,
            String user,
            String password,
            int poolSize,
            Duration acquireTimeout,
            String applicationName) {
        this.jdbcUrl = jdbcUrl;
        this.properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("prepareThreshold", "1");
        properties.setProperty("connectTimeout", "5");
        // Lookups take a fraction of a millisecond and a month's statement is bounded (the route
        // caps its entries): a query running this long is a problem to surface.
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("ApplicationName", applicationName);
        this.acquireTimeout = acquireTimeout;
        this.pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(new Slot());
        }
    }

    /**
     * Runs {@code work} on a pooled connection in auto-commit mode (work that needs one snapshot
     * opens its own transaction and must end it).
     *
     * @throws ReadModelUnavailableException when no connection was free in time or the database
     *     failed
     */
    public <T> T run(Work<T> work) {
        Slot slot = acquire();
        try {
            if (slot.connection == null) {
                slot.connection = DriverManager.getConnection(jdbcUrl, properties);
            }
            return work.run(slot.connection);
        } catch (SQLException e) {
            // Whatever went wrong (also a transaction left open), do not hand this connection on.
            closeQuietly(slot);
            throw new ReadModelUnavailableException("read model query failed", e);
        } finally {
            // A RuntimeException of the work itself (a statement too large) passes as it is: the
            // work ended its own transaction, the connection is fine.
            pool.add(slot);
        }
    }

    private Slot acquire() {
        try {
            Slot slot = pool.poll(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (slot == null) {
                throw new ReadModelUnavailableException(
                        "no read model connection free within " + acquireTimeout, null);
            }
            return slot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadModelUnavailableException("interrupted", e);
        }
    }

    private static void closeQuietly(Slot slot) {
        if (slot.connection != null) {
            try {
                slot.connection.close();
            } catch (SQLException ignored) {
                // Already broken; nothing to do.
            }
            slot.connection = null;
        }
    }

    @Override
    public void close() {
        Slot slot;
        while ((slot = pool.poll()) != null) {
            closeQuietly(slot);
        }
    }

    /** The database could not answer; the caller decides (HTTP 503, retry). */
    public static final class ReadModelUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ReadModelUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
