package io.ledgerflow.ingest.limits;

import io.ledgerflow.schemas.config.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The API instances alive now, counted from a PostgreSQL heartbeat table ({@code api_instances},
 * read model migration V8): every {@code heartbeat} this instance writes its row and counts the
 * rows written within {@code liveness}; rows older than {@code forgetAfter} are deleted. Each
 * instance then admits {@code limit / count} of every partner's limits ({@link
 * PartnerRateLimiter}).
 *
 * <p>Why a share of a known instance count, not a shared counter: a central counter (PostgreSQL or
 * Redis) would cost a round trip per request at 5,000 requests/s and make every answer wait on it;
 * the share costs one query per second per instance and nothing per request. Its price: the shares
 * add up to the limit only when the load balancer spreads a partner's requests evenly. A partner
 * whose requests all reach one instance gets only that instance's share (under-admitted, never
 * over-admitted), which round-robin or least-connections balancing over keep-alive connections
 * avoids for any partner sending more than a few requests a second.
 *
 * <p>When an instance dies without saying goodbye its row stops being refreshed; within {@code
 * liveness} plus one heartbeat the others count one fewer and raise their share. Until then the
 * partner is under-admitted by the dead instance's share. An instance that stops cleanly deletes
 * its row at once. When PostgreSQL cannot be reached the last count stays (logged once per outage):
 * the limits keep working, and drift only if instances come or go meanwhile.
 *
 * <p>The one thread is a daemon; {@link #close} stops it and removes the row.
 */
public final class ApiInstances implements LiveInstances, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ApiInstances.class);

    private static final String BEAT =
            "INSERT INTO api_instances (instance_id, started_at, heartbeat_at)"
                    + " VALUES (?, clock_timestamp(), clock_timestamp())"
                    + " ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = clock_timestamp()";
    private static final String FORGET =
            "DELETE FROM api_instances"
                    + " WHERE heartbeat_at < clock_timestamp() - ? * interval '1 millisecond'";
    private static final String COUNT =
            "SELECT count(*) FROM api_instances"
                    + " WHERE heartbeat_at >= clock_timestamp() - ? * interval '1 millisecond'";
    private static final String LEAVE = "DELETE FROM api_instances WHERE instance_id = ?";

    private final String url;
    private final String user;
    private final String password;
    private final String instanceId;
    private final Duration liveness;
    private final Duration forgetAfter;
    private final ScheduledExecutorService beats;
    private volatile int count = 1;
    private Connection connection;
    private boolean failing;

    /**
     * Starts beating at once; the first beat runs before the constructor returns, so that the count
     * is right from the first request.
     */
    public ApiInstances(
            String url,
            String user,
            String password,
            String instanceId,
            Duration heartbeat,
            Duration liveness,
            Duration forgetAfter) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.instanceId = instanceId;
        this.liveness = liveness;
        this.forgetAfter = forgetAfter;
        this.beats =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "api-instances-heartbeat");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            beats.submit(this::beat).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The loop below keeps trying; limits use a count of 1 meanwhile.
            LOG.warn("first heartbeat of API instance {} did not complete", instanceId, e);
        }
        beats.scheduleWithFixedDelay(
                this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Beats against {@code database} as {@code settings} say (the read model's database). */
    public static ApiInstances start(PostgresSettings database, RateLimitSettings settings) {
        return new ApiInstances(
                database.url(),
                database.user(),
                database.password().reveal(),
                settings.instanceId(),
                settings.heartbeat(),
                settings.liveness(),
                RateLimitSettings.FORGET_AFTER);
    }

    @Override
    public int count() {
        return count;
    }

    public String instanceId() {
        return instanceId;
    }

    private void beat() {
        try {
            Connection c = connection();
            try (PreparedStatement beat = c.prepareStatement(BEAT);
                    PreparedStatement forget = c.prepareStatement(FORGET);
                    PreparedStatement live = c.prepareStatement(COUNT)) {
                beat.setString(1, instanceId);
                beat.executeUpdate();
                forget.setLong(1, forgetAfter.toMillis());
                forget.executeUpdate();
                live.setLong(1, liveness.toMillis());
                try (ResultSet rs = live.executeQuery()) {
                    rs.next();
                    int now = Math.max(1, rs.getInt(1));
                    if (now != count) {
                        LOG.info("API instances alive: {} (was {})", now, count);
                    }
                    count = now;
                }
            }
            if (failing) {
                LOG.info("API instance heartbeat works again; {} instances alive", count);
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            if (!failing) {
                LOG.warn(
                        "API instance heartbeat failed; keeping the last count ({}) until it"
                                + " works again",
                        count,
                        e);
                failing = true;
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the heartbeat connection failed", e);
            }
            connection = null;
        }
    }

    /** Stops beating and deletes this instance's row, so the others raise their share now. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = connection != null ? connection : connection();
                PreparedStatement leave = c.prepareStatement(LEAVE)) {
            leave.setString(1, instanceId);
            leave.executeUpdate();
        } catch (SQLException e) {
            // The row goes stale and the others stop counting it within the liveness window.
            LOG.warn("could not remove API instance {} from api_instances", instanceId, e);
        }
        connection = null;
    }
}
