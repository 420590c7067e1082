package io.ledgerflow.settlement;

import io.ledgerflow.readmodel.settlement.FeeSchedule;
import io.ledgerflow.readmodel.settlement.PostgresSettlements;
import io.ledgerflow.readmodel.settlement.PostgresSettlements.LatestBatch;
import io.ledgerflow.readmodel.settlement.SettledPosting;
import io.ledgerflow.readmodel.settlement.SettlementAccount;
import io.ledgerflow.readmodel.settlement.SettlementBatch;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import io.ledgerflow.readmodel.settlement.SettlementMovement;
import io.ledgerflow.readmodel.settlement.SettlementPeriod;
import io.ledgerflow.readmodel.settlement.SettlementRules;
import io.ledgerflow.schemas.config.ClickHouseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One settlement pass at a given time: for every partner's settlement account, makes the batches of
 * the periods that have closed (period end + allowed lateness at or before {@code now}) and have
 * unsettled postings, then submits every settlement movement the read model has no decision for.
 * The order matters for exactly-once: a batch and its movements are committed in one PostgreSQL
 * transaction before anything is submitted, so a crash between the two leaves movements that the
 * next pass submits; a movement submitted twice is dropped by the ledger's gate (same partner, same
 * id), and one the read model shows decided is never submitted again (which also covers re-runs
 * after the gate's retention).
 *
 * <p>Which postings a batch covers: the settlement account's postings with an event time before the
 * period's end that no earlier batch covers. Those with an event time before the period's start
 * were decided after their own period's batch was made: they are the batch's adjustments.
 */
final class SettlementRun {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementRun.class);

    /** What a pass did. */
    record Outcome(List<SettlementBatch> written, int submitted, int copied) {}

    private final SettlementConfig config;

    SettlementRun(SettlementConfig config) {
        this.config = config;
    }

    Outcome run(Connection pg, LedgerMovements ledger, Instant now) throws Exception {
        List<SettlementBatch> written = new ArrayList<>();
        pg.setAutoCommit(false);
        for (SettlementAccount account : PostgresSettlements.settlementAccounts(pg)) {
            pg.commit();
            written.addAll(settle(pg, account, now));
        }
        List<SettlementMovement> undecided = PostgresSettlements.undecidedMovements(pg);
        pg.commit();
        ledger.submit(undecided, now);
        int copied = copyToClickHouse(pg);
        LOG.info(
                "settlement pass at {}: {} batches written, {} movements submitted, {} batches"
                        + " copied to ClickHouse",
                now,
                written.size(),
                undecided.size(),
                copied);
        return new Outcome(written, undecided.size(), copied);
    }

    /** Copies the batches ClickHouse lacks (none without {@code --clickhouse-url}). */
    private int copyToClickHouse(Connection pg) throws SQLException {
        ClickHouseSettings ch = config.clickHouse();
        if (ch == null) {
            return 0;
        }
        Properties props = new Properties();
        props.setProperty("user", ch.user());
        props.setProperty("password", ch.password().reveal());
        try (Connection c = DriverManager.getConnection(ch.url() + "/" + ch.database(), props)) {
            Set<String> known = ClickHouseBatches.known(c);
            List<SettlementBatch> missing = new ArrayList<>();
            for (String[] id : PostgresSettlements.allBatchIds(pg)) {
                if (!known.contains(id[1])) {
                    PostgresSettlements.batch(pg, id[0], id[1]).ifPresent(missing::add);
                }
            }
            pg.commit();
            ClickHouseBatches.insert(c, missing);
            return missing.size();
        }
    }

    private List<SettlementBatch> settle(Connection pg, SettlementAccount account, Instant now)
            throws SQLException {
        SettlementCalendar calendar = PostgresSettlements.calendar(pg, account.partnerId());
        List<FeeSchedule> schedules = PostgresSettlements.feeSchedules(pg, account.partnerId());
        pg.commit();
        Duration lateness = config.allowedLateness();
        SettlementPeriod lastClosed = calendar.lastClosed(now, lateness);
        List<SettlementBatch> written = new ArrayList<>();
        while (true) {
            Optional<LatestBatch> latest =
                    PostgresSettlements.latest(pg, account.partnerId(), account.currency());
            Optional<Instant> earliest =
                    PostgresSettlements.earliestUnsettled(
                            pg, account.accountId(), lastClosed.end());
            if (earliest.isEmpty()) {
                pg.commit();
                return written;
            }
            SettlementPeriod period =
                    calendar.nextToSettle(
                            earliest.get(), latest.map(LatestBatch::periodEnd).orElse(null));
            if (period.end().isAfter(lastClosed.end())) {
                pg.commit();
                return written;
            }
            List<SettledPosting> postings =
                    PostgresSettlements.unsettled(pg, account.accountId(), period.end());
            SettlementBatch batch =
                    SettlementRules.batch(
                            account.partnerId(),
                            account.currency(),
                            account.accountId(),
                            period,
                            period.end().plus(lateness),
                            postings,
                            schedules,
                            latest.map(LatestBatch::carriedOutMinor).orElse(0L));
            List<SettlementMovement> movements =
                    SettlementMovement.of(
                            batch,
                            config.platformPartner(),
                            config.revenueAccount(account.currency()));
            if (PostgresSettlements.insert(pg, batch, movements)) {
                pg.commit();
                written.add(batch);
                LOG.info(
                        "batch {} for {} {} {}..{}: {} postings, net {}, hash {}",
                        batch.batchId(),
                        batch.partnerId(),
                        batch.currency(),
                        period.start(),
                        period.end(),
                        batch.entries().size(),
                        batch.netPayableMinor(),
                        batch.contentHash());
            } else {
                // Another pass wrote this period's batch meanwhile; ours is dropped.
                pg.rollback();
                return written;
            }
        }
    }
}
