package io.ledgerflow.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.dashboards.testutils.GrafanaClickHouseMacros;
import io.ledgerflow.dashboards.testutils.GrafanaClickHouseMacros.Selection;
import io.ledgerflow.dashboards.testutils.GrafanaClickHouseMacros.Variable;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards.Dashboard;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards.Panel;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.sinks.clickhouse.ClickHouseMigrations;
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every ClickHouse panel of every dashboard, as Grafana would send it ({@link
 * GrafanaClickHouseMacros}), against the real ClickHouse engine, over tables created by the sinks
 * job's own migrations and a small seeded data set with exact figures. The panels are enumerated
 * from the dashboard files: a panel without expected figures here fails the test, as does an
 * expectation for a panel that no longer exists.
 *
 * <p>The data has what the real tables hold and the panels must get right: an earlier revision of a
 * window next to its newest one (a late decision revised it), a window's open row before its closed
 * one and windows still open (early figures, V8's {@code open}), account-scope rows beside the
 * partner ones, a replayed late decision, an alert window revised with more matches, and rows
 * outside the time range; for settlement and reconciliation, batches copied again by a re-run, a
 * mismatch cleared then reopened, a statement imported again, and rows without a partner
 * (platform-wide findings, bank lines of no known movement). Each is written in its own insert, so
 * its own part: FINAL is what collapses them, and a panel without it counts twice.
 */
@ExtendWith(ClickHouseExtension.class)
class AnalystPanelsITCase {

    private static final String DATABASE = "dashboards_it";

    /** The seeded day, 2026-11-21 UTC: the dashboard's time range in these tests. */
    private static final Selection ALL =
            new Selection(
                    Instant.parse("2026-11-21T00:00:00Z"),
                    Instant.parse("2026-11-21T23:59:59Z"),
                    Duration.ofMinutes(1),
                    Map.of(
                            "level", Variable.of("1h"),
                            "partner", Variable.all(List.of("p1", "p2")),
                            "currency", Variable.all(List.of("EUR", "USD"))));

    /** Partner p1 and EUR selected. */
    private static final Selection P1_EUR =
            ALL.with("partner", Variable.of("p1")).with("currency", Variable.of("EUR"));

    private static ClickHouseTarget target;

    @BeforeAll
    static void seed(ClickHouseServer clickHouse) throws SQLException {
        target =
                new ClickHouseTarget(
                        "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                        DATABASE,
                        "default",
                        "");
        try (Connection c = target.connectToServer();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
        assertThat(ClickHouseMigrations.apply(target)).as("the sinks' migrations").isPositive();

        String aggregates =
                "INSERT INTO window_aggregates (scope, level, window_start, window_end,"
                        + " partner_id, currency, account_id, movements, total_minor, min_minor,"
                        + " max_minor, approved, approved_minor, rejected, rejections_by_reason,"
                        + " distinct_counterparties, version, open) VALUES ";
        String late =
                "INSERT INTO late_transactions (scope, partner_id, account_id, transaction_id,"
                        + " type, status, reason, amount_minor, currency, event_time) VALUES ";
        String alerts =
                "INSERT INTO fraud_alerts (alert_id, rule_id, rule_version, rule_type, mode,"
                        + " severity, score, partner_id, account_id, transaction_id, movement_type,"
                        + " amount_minor, currency, triggering_transaction_ids, explanation,"
                        + " blocked, event_time, detected_time, matches, first_event_time,"
                        + " last_detected_time, latest_transaction_ids) VALUES ";
        execute(
                // Hourly windows of 2026-11-21. p1 EUR 10:00 is written twice: its first
                // revision (version 3) and the newest (version 4, one more refusal).
                aggregates
                        + "('partner','1h','2026-11-21 10:00:00','2026-11-21 11:00:00','p1','EUR','',"
                        + "3,3700,300,2500,3,3700,0,{},3,3,false),"
                        // p1 USD 10:00 while it was open: replaced by its closed row below.
                        + "('partner','1h','2026-11-21 10:00:00','2026-11-21 11:00:00','p1','USD','',"
                        + "1,700,700,700,1,700,0,{},1,1,true)",
                aggregates
                        + "('partner','1h','2026-11-21 10:00:00','2026-11-21 11:00:00','p1','EUR','',"
                        + "4,4000,300,2500,3,3700,1,{'INSUFFICIENT_FUNDS':1},3,4,false),"
                        + "('partner','1h','2026-11-21 10:00:00','2026-11-21 11:00:00','p1','USD','',"
                        + "2,750,50,700,1,700,1,{'ACCOUNT_NOT_FOUND':1},2,2,false),"
                        + "('partner','1h','2026-11-21 10:00:00','2026-11-21 11:00:00','p2','EUR','',"
                        + "5,5000,1000,1000,5,5000,0,{},5,5,false),"
                        + "('partner','1h','2026-11-21 11:00:00','2026-11-21 12:00:00','p1','EUR','',"
                        + "2,380,80,300,0,0,2,{'INSUFFICIENT_FUNDS':1,'FRAUD_SUSPECTED':1},2,2,false)",
                // The day before: outside the time range.
                aggregates
                        + "('partner','1h','2026-11-20 23:00:00','2026-11-21 00:00:00','p1','EUR','',"
                        + "7,7000,1000,1000,7,7000,0,{},7,7,false),"
                        + "('partner','1d','2026-11-20 00:00:00','2026-11-21 00:00:00','p1','EUR','',"
                        + "7,7000,1000,1000,7,7000,0,{},7,7,false)",
                // The daily windows of the same decisions.
                aggregates
                        + "('partner','1d','2026-11-21 00:00:00','2026-11-22 00:00:00','p1','EUR','',"
                        + "6,4380,80,2500,3,3700,3,{'INSUFFICIENT_FUNDS':2,'FRAUD_SUSPECTED':1},4,6,false),"
                        + "('partner','1d','2026-11-21 00:00:00','2026-11-22 00:00:00','p1','USD','',"
                        + "2,750,50,700,1,700,1,{'ACCOUNT_NOT_FOUND':1},2,2,false),"
                        + "('partner','1d','2026-11-21 00:00:00','2026-11-22 00:00:00','p2','EUR','',"
                        + "5,5000,1000,1000,5,5000,0,{},5,5,false)",
                // p2's first USD movement, at 11:10: its hour and its day are still open (early
                // figures). They count like closed windows, and the table says they are open.
                aggregates
                        + "('partner','1h','2026-11-21 11:00:00','2026-11-21 12:00:00','p2','USD','',"
                        + "1,100,100,100,1,100,0,{},1,1,true),"
                        + "('partner','1d','2026-11-21 00:00:00','2026-11-22 00:00:00','p2','USD','',"
                        + "1,100,100,100,1,100,0,{},1,1,true)",
                // An account's own windows: never in the partner panels.
                aggregates
                        + "('account','1h','2026-11-21 10:00:00','2026-11-21 11:00:00','p1','EUR','a1',"
                        + "4,4000,300,2500,3,3700,1,{'INSUFFICIENT_FUNDS':1},3,4,false)",
                // A late decision for both views of p1, one of p2, one the day before.
                late
                        + "('partner','p1','','late1','TRANSFER','COMPLETED','',500,'EUR','2026-11-21 09:59:30'),"
                        + "('account','p1','a1','late1','TRANSFER','COMPLETED','',500,'EUR','2026-11-21 09:59:30'),"
                        + "('partner','p2','','late2','DEPOSIT','COMPLETED','',1200,'EUR','2026-11-21 10:30:00'),"
                        + "('partner','p1','','late0','TRANSFER','REJECTED','INSUFFICIENT_FUNDS',90,'EUR','2026-11-20 12:00:00')",
                // p1's late decision replayed after a restart: the same row again.
                late
                        + "('partner','p1','','late1','TRANSFER','COMPLETED','',500,'EUR','2026-11-21 09:59:30')",
                // Alert window al1, first revision (one match) ...
                alerts
                        + "('al1','velocity-1',1,'VELOCITY','ALERT','HIGH',0.8,'p1','a1','t1','TRANSFER',"
                        + "1000,'EUR',['t1'],'3 movements in 1 minute',false,'2026-11-21 10:04:00',"
                        + "'2026-11-21 10:05:00',1,'2026-11-21 10:04:00','2026-11-21 10:05:00',['t1'])",
                // ... then its newest revision (three matches), and the other alerts.
                alerts
                        + "('al1','velocity-1',1,'VELOCITY','ALERT','HIGH',0.9,'p1','a1','t3','TRANSFER',"
                        + "1200,'EUR',['t1','t2','t3'],'5 movements in 1 minute',false,'2026-11-21 10:04:00',"
                        + "'2026-11-21 10:05:00',3,'2026-11-21 10:04:00','2026-11-21 10:07:00',['t1','t2','t3']),"
                        + "('al2','velocity-1',1,'VELOCITY','BLOCK','HIGH',0.95,'p2','a9','t9','TRANSFER',"
                        + "900,'EUR',['t9'],'4 movements in 1 minute',true,'2026-11-21 10:19:00',"
                        + "'2026-11-21 10:20:00',1,'2026-11-21 10:19:00','2026-11-21 10:20:00',['t9']),"
                        + "('al3','structuring-1',2,'STRUCTURING','ALERT','MEDIUM',0.6,'p1','a2','t20','DEPOSIT',"
                        + "990,'USD',['t17','t18','t19','t20'],'4 deposits just below 1000',false,"
                        + "'2026-11-21 11:09:00','2026-11-21 11:10:00',4,'2026-11-21 11:00:00',"
                        + "'2026-11-21 11:10:00',['t20']),"
                        + "('al0','velocity-1',1,'VELOCITY','ALERT','HIGH',0.8,'p1','a1','t0','TRANSFER',"
                        + "100,'EUR',['t0'],'the day before',false,'2026-11-20 09:00:00',"
                        + "'2026-11-20 09:00:00',1,'2026-11-20 09:00:00','2026-11-20 09:00:00',['t0'])");
        seedSettlement();
        seedReconciliation();
    }

    /**
     * Daily settlement batches of 2026-11-21 for p1 EUR, p1 USD (one adjustment: a late posting of
     * the day before) and p2 EUR (a negative net payable, carried out), and p1 EUR of the day
     * before (outside the time range, with an adjustment). A re-run copies p1's two batches and
     * their lines again, each copy in its own insert: FINAL counts them once.
     */
    private static void seedSettlement() throws SQLException {
        String batches =
                "INSERT INTO settlement_batches (batch_id, partner_id, currency,"
                        + " settlement_account_id, period_start, period_end, closed_at, entry_count,"
                        + " adjustment_count, credits_minor, debits_minor, refund_count,"
                        + " refunds_minor, fees_minor, carried_in_minor, net_payable_minor,"
                        + " payout_minor, carried_out_minor, content_hash) VALUES ";
        String lines =
                "INSERT INTO settlement_batch_lines (batch_id, partner_id, currency, period_start,"
                        + " direction, movement_type, adjustment, entry_count, gross_minor,"
                        + " fees_minor) VALUES ";
        String b1 =
                "('b1','p1','EUR','s-p1-eur','2026-11-21 00:00:00','2026-11-22 00:00:00',"
                        + "'2026-11-22 00:05:00',3,0,10000,500,1,500,150,0,9350,9350,0,'h1')";
        String b2 =
                "('b2','p1','USD','s-p1-usd','2026-11-21 00:00:00','2026-11-22 00:00:00',"
                        + "'2026-11-22 00:05:00',2,1,3000,0,0,0,60,-200,2740,2740,0,'h2')";
        String b1Lines =
                "('b1','p1','EUR','2026-11-21 00:00:00','CREDIT','DEPOSIT',false,2,10000,150),"
                        + "('b1','p1','EUR','2026-11-21 00:00:00','DEBIT','REFUND',false,1,500,0)";
        String b2Lines =
                "('b2','p1','USD','2026-11-21 00:00:00','CREDIT','DEPOSIT',false,1,2000,40),"
                        + "('b2','p1','USD','2026-11-21 00:00:00','CREDIT','DEPOSIT',true,1,1000,20)";
        execute(
                batches
                        + b1
                        + ","
                        + b2
                        + ",('b3','p2','EUR','s-p2-eur','2026-11-21 00:00:00','2026-11-22 00:00:00',"
                        + "'2026-11-22 00:05:00',5,0,8000,10000,2,1000,100,0,-2100,0,-2100,'h3'),"
                        + "('b0','p1','EUR','s-p1-eur','2026-11-20 00:00:00','2026-11-21 00:00:00',"
                        + "'2026-11-21 00:05:00',1,1,777,0,0,0,7,0,770,770,0,'h0')",
                lines
                        + b1Lines
                        + ","
                        + b2Lines
                        + ",('b3','p2','EUR','2026-11-21 00:00:00','CREDIT','DEPOSIT',false,2,8000,80),"
                        + "('b3','p2','EUR','2026-11-21 00:00:00','DEBIT','REFUND',false,2,1000,0),"
                        + "('b3','p2','EUR','2026-11-21 00:00:00','DEBIT','WITHDRAWAL',false,1,9000,20),"
                        + "('b0','p1','EUR','2026-11-20 00:00:00','CREDIT','DEPOSIT',true,1,777,7)",
                // The re-run's copies.
                batches + b1 + "," + b2,
                lines + b1Lines + "," + b2Lines);
    }

    /**
     * Internal reconciliation: each change of a mismatch is a new row with a higher version, in its
     * own insert (r1 and r5 opened, then cleared; r2 open and checked again), a platform-wide
     * SUM_NOT_ZERO (no partner), p2's USD mismatch, and rows of the day before. Statements: s1
     * imported at 09:00, then again at 15:00 when its line 2 matched; s2 in USD; s0 the day before.
     */
    private static void seedReconciliation() throws SQLException {
        String findings =
                "INSERT INTO reconciliation (kind, partner_id, currency, window_start, subject,"
                        + " window_end, expected, found, detail, status, first_seen, last_seen,"
                        + " cleared_time, version) VALUES ";
        String items =
                "INSERT INTO statement_matches (statement_id, item, result, matched_by,"
                        + " line_number, partner_id, transaction_id, movement_type, amount_minor,"
                        + " currency, item_date, reference, matched_time, version) VALUES ";
        execute(
                findings
                        + "('AMOUNT_MISMATCH_CLICKHOUSE','p1','EUR','2026-11-21 10:00:00','',"
                        + "'2026-11-21 11:00:00','4000','3700','','OPEN','2026-11-21 10:20:00',"
                        + "'2026-11-21 10:50:00',NULL,1),"
                        + "('MISSING_IN_POSTGRES','p1','EUR','2026-11-21 08:00:00','',"
                        + "'2026-11-21 09:00:00','3','2','','OPEN','2026-11-21 09:00:00',"
                        + "'2026-11-21 10:00:00',NULL,1),"
                        + "('MISSING_IN_CLICKHOUSE','p2','EUR','2026-11-21 09:00:00','',"
                        + "'2026-11-21 10:00:00','5','4','','OPEN','2026-11-21 10:00:00',"
                        + "'2026-11-21 10:00:00',NULL,1),"
                        // r8 cleared at 10:40, reopened below at 11:20.
                        + "('MISSING_IN_CLICKHOUSE','p1','EUR','2026-11-21 10:00:00','',"
                        + "'2026-11-21 11:00:00','6','5','','CLEARED','2026-11-21 10:30:00',"
                        + "'2026-11-21 10:40:00','2026-11-21 10:40:00',1),"
                        // The day before: one cleared, one open last checked then.
                        + "('AMOUNT_MISMATCH_CLICKHOUSE','p1','EUR','2026-11-20 07:00:00','',"
                        + "'2026-11-20 08:00:00','100','90','','CLEARED','2026-11-20 08:00:00',"
                        + "'2026-11-20 09:00:00','2026-11-20 09:00:00',2),"
                        + "('CHAIN_BREAK','p1','EUR','2026-11-20 00:00:00','a1',"
                        + "'2026-11-20 00:00:00','h5','h6','','OPEN','2026-11-20 10:00:00',"
                        + "'2026-11-20 23:00:00',NULL,1)",
                findings
                        + "('AMOUNT_MISMATCH_CLICKHOUSE','p1','EUR','2026-11-21 10:00:00','',"
                        + "'2026-11-21 11:00:00','4000','4000','','CLEARED','2026-11-21 10:20:00',"
                        + "'2026-11-21 11:00:00','2026-11-21 11:00:00',2),"
                        + "('MISSING_IN_POSTGRES','p1','EUR','2026-11-21 08:00:00','',"
                        + "'2026-11-21 09:00:00','3','2','','OPEN','2026-11-21 09:00:00',"
                        + "'2026-11-21 12:00:00',NULL,2),"
                        + "('MISSING_IN_CLICKHOUSE','p2','EUR','2026-11-21 09:00:00','',"
                        + "'2026-11-21 10:00:00','5','5','','CLEARED','2026-11-21 10:00:00',"
                        + "'2026-11-21 10:10:00','2026-11-21 10:10:00',2),"
                        + "('MISSING_IN_CLICKHOUSE','p1','EUR','2026-11-21 10:00:00','',"
                        + "'2026-11-21 11:00:00','7','5','','OPEN','2026-11-21 11:20:00',"
                        + "'2026-11-21 11:40:00',NULL,2),"
                        + "('SUM_NOT_ZERO','','EUR','2026-11-21 11:00:00','',"
                        + "'2026-11-21 12:00:00','0','-300','','OPEN','2026-11-21 11:30:00',"
                        + "'2026-11-21 12:00:00',NULL,1),"
                        + "('MISSING_IN_POSTGRES','p2','USD','2026-11-21 10:00:00','',"
                        + "'2026-11-21 11:00:00','2','1','','OPEN','2026-11-21 11:00:00',"
                        + "'2026-11-21 12:00:00',NULL,1)",
                items
                        + "('s1','line:1','MATCHED','REFERENCE',1,'p1','t1','DEPOSIT',1000,'EUR',"
                        + "'2026-11-20','R1','2026-11-21 09:00:00',1),"
                        + "('s1','line:2','UNMATCHED_STATEMENT_LINE','',2,'','','',250,'EUR',"
                        + "'2026-11-18','R2','2026-11-21 09:00:00',1),"
                        + "('s1','line:3','UNMATCHED_STATEMENT_LINE','',3,'','','',300,'EUR',"
                        + "'2026-11-17','R3','2026-11-21 09:00:00',1),"
                        + "('s1','tx:p1/t5','UNMATCHED_LEDGER_MOVEMENT','',NULL,'p1','t5','WITHDRAWAL',"
                        + "400,'EUR','2026-11-19','','2026-11-21 09:00:00',1),"
                        + "('s1','tx:p2/t6','UNMATCHED_LEDGER_MOVEMENT','',NULL,'p2','t6','DEPOSIT',"
                        + "700,'EUR','2026-11-20','','2026-11-21 09:00:00',1),"
                        + "('s0','line:1','UNMATCHED_STATEMENT_LINE','',1,'','','',99,'EUR',"
                        + "'2026-11-10','R0','2026-11-20 09:00:00',1)",
                // s1 imported again: line 2 now matches p1's t7.
                items
                        + "('s1','line:1','MATCHED','REFERENCE',1,'p1','t1','DEPOSIT',1000,'EUR',"
                        + "'2026-11-20','R1','2026-11-21 15:00:00',2),"
                        + "('s1','line:2','MATCHED','AMOUNT_DATE',2,'p1','t7','DEPOSIT',250,'EUR',"
                        + "'2026-11-18','R2','2026-11-21 15:00:00',2),"
                        + "('s1','line:3','UNMATCHED_STATEMENT_LINE','',3,'','','',300,'EUR',"
                        + "'2026-11-17','R3','2026-11-21 15:00:00',2),"
                        + "('s1','tx:p1/t5','UNMATCHED_LEDGER_MOVEMENT','',NULL,'p1','t5','WITHDRAWAL',"
                        + "400,'EUR','2026-11-19','','2026-11-21 15:00:00',2),"
                        + "('s1','tx:p2/t6','UNMATCHED_LEDGER_MOVEMENT','',NULL,'p2','t6','DEPOSIT',"
                        + "700,'EUR','2026-11-20','','2026-11-21 15:00:00',2),"
                        + "('s2','line:1','MATCHED','REFERENCE',1,'p2','t8','DEPOSIT',900,'USD',"
                        + "'2026-11-21','R8','2026-11-21 10:00:00',1),"
                        + "('s2','line:2','UNMATCHED_STATEMENT_LINE','',2,'','','',50,'USD',"
                        + "'2026-11-15','R9','2026-11-21 10:00:00',1)");
    }

    /**
     * Per panel ("dashboard / title"): its columns, then its rows (times in UTC as {@code
     * yyyy-MM-dd HH:mm:ss}, fields joined by {@code |}), with All partners and currencies, level
     * 1h, over 2026-11-21.
     */
    private static final Map<String, List<String>> ALL_FIGURES = new LinkedHashMap<>();

    static {
        String a = "Ledgerflow analysts / ";
        // 4 + 2 + 5 at 10:00, 2 + 1 (open) at 11:00; the first revisions of p1 EUR and p1 USD
        // 10:00 are not counted.
        ALL_FIGURES.put(a + "Decisions", List.of("decisions", "14"));
        // (3 + 1 + 5 + 0 + 1) / 14.
        ALL_FIGURES.put(a + "Approval rate", List.of("approval_rate", "0.7143"));
        ALL_FIGURES.put(a + "Refusals", List.of("refusals", "4"));
        // late1 once (replayed) for the partner view, late2; not the day before's.
        ALL_FIGURES.put(a + "Late decisions", List.of("late_decisions", "2"));
        ALL_FIGURES.put(
                a + "Decisions by partner",
                List.of(
                        "time|partner_id|decisions",
                        "2026-11-21 10:00:00|p1|6",
                        "2026-11-21 10:00:00|p2|5",
                        "2026-11-21 11:00:00|p1|2",
                        "2026-11-21 11:00:00|p2|1"));
        ALL_FIGURES.put(
                a + "Value by currency",
                List.of(
                        "time|currency|value_minor",
                        "2026-11-21 10:00:00|EUR|9000",
                        "2026-11-21 10:00:00|USD|750",
                        "2026-11-21 11:00:00|EUR|380",
                        "2026-11-21 11:00:00|USD|100"));
        ALL_FIGURES.put(
                a + "Approved value by partner and currency",
                List.of(
                        "time|partner_id|currency|completed_minor",
                        "2026-11-21 10:00:00|p1|EUR|3700",
                        "2026-11-21 10:00:00|p1|USD|700",
                        "2026-11-21 10:00:00|p2|EUR|5000",
                        "2026-11-21 11:00:00|p1|EUR|0",
                        "2026-11-21 11:00:00|p2|USD|100"));
        ALL_FIGURES.put(
                a + "Volume and value by partner and currency",
                List.of(
                        "partner_id|currency|decisions|value_minor|completed|completed_minor|refused"
                                + "|approval_rate|smallest_minor|largest_minor|open_windows",
                        "p1|EUR|6|4380|3|3700|3|0.5|80|2500|0",
                        "p1|USD|2|750|1|700|1|0.5|50|700|0",
                        "p2|EUR|5|5000|5|5000|0|1.0|1000|1000|0",
                        "p2|USD|1|100|1|100|0|1.0|100|100|1"));
        ALL_FIGURES.put(
                a + "Approval rate by partner",
                List.of(
                        "time|partner_id|approval_rate",
                        "2026-11-21 10:00:00|p1|0.6667",
                        "2026-11-21 10:00:00|p2|1.0",
                        "2026-11-21 11:00:00|p1|0.0",
                        "2026-11-21 11:00:00|p2|1.0"));
        ALL_FIGURES.put(
                a + "Refusals by reason",
                List.of(
                        "reason|refusals",
                        "INSUFFICIENT_FUNDS|2",
                        "ACCOUNT_NOT_FOUND|1",
                        "FRAUD_SUSPECTED|1"));
        ALL_FIGURES.put(
                a + "Refusals by reason over time",
                List.of(
                        "time|reason|refusals",
                        "2026-11-21 10:00:00|ACCOUNT_NOT_FOUND|1",
                        "2026-11-21 10:00:00|INSUFFICIENT_FUNDS|1",
                        "2026-11-21 11:00:00|FRAUD_SUSPECTED|1",
                        "2026-11-21 11:00:00|INSUFFICIENT_FUNDS|1"));
        // al1 counts once with its newest revision's three matches.
        ALL_FIGURES.put(
                a + "Fraud alerts by rule",
                List.of(
                        "rule_id|rule_type|alerts|matches|blocked|accounts|partners",
                        "velocity-1|VELOCITY|2|4|1|2|2",
                        "structuring-1|STRUCTURING|1|4|0|1|1"));
        ALL_FIGURES.put(
                a + "Fraud alerts by partner",
                List.of(
                        "partner_id|alerts|matches|blocked|accounts|rules",
                        "p1|2|7|0|2|structuring-1, velocity-1",
                        "p2|1|1|1|1|velocity-1"));
        ALL_FIGURES.put(
                a + "Fraud alerts by rule over time",
                List.of(
                        "time|rule_id|alerts",
                        "2026-11-21 10:05:00|velocity-1|1",
                        "2026-11-21 10:20:00|velocity-1|1",
                        "2026-11-21 11:10:00|structuring-1|1"));
        ALL_FIGURES.put(
                a + "Late decisions by partner",
                List.of(
                        "partner_id|missed_view|late_decisions|late_value_minor|latest_event_time",
                        "p1|account|1|500|2026-11-21 09:59:30",
                        "p1|partner|1|500|2026-11-21 09:59:30",
                        "p2|partner|1|1200|2026-11-21 10:30:00"));
        // Buckets of the selection's interval (one minute).
        ALL_FIGURES.put(
                a + "Late decisions over time",
                List.of(
                        "time|missed_view|late_decisions",
                        "2026-11-21 09:59:00|account|1",
                        "2026-11-21 09:59:00|partner|1",
                        "2026-11-21 10:30:00|partner|1"));
        // Settlement: b1 and b2 once although copied twice; not b0 (the day before).
        ALL_FIGURES.put(
                a + "Settlement by partner, currency and period",
                List.of(
                        "partner_id|currency|period_start|period_end|batches|postings|adjustments"
                                + "|total_credits_minor|total_refunds_minor|total_fees_minor"
                                + "|total_net_payable_minor|total_payout_minor",
                        "p1|EUR|2026-11-21 00:00:00|2026-11-22 00:00:00|1|3|0|10000|500|150|9350|9350",
                        "p1|USD|2026-11-21 00:00:00|2026-11-22 00:00:00|1|2|1|3000|0|60|2740|2740",
                        "p2|EUR|2026-11-21 00:00:00|2026-11-22 00:00:00|1|5|0|8000|1000|100|-2100|0"));
        ALL_FIGURES.put(
                a + "Net payable and fees by partner and currency",
                List.of(
                        "time|partner_id|currency|net_payable_minor|fees_minor",
                        "2026-11-21 00:00:00|p1|EUR|9350|150",
                        "2026-11-21 00:00:00|p1|USD|2740|60",
                        "2026-11-21 00:00:00|p2|EUR|-2100|100"));
        // EUR deposits: 230 / 18,000 x 10,000 = 127.78 bp; withdrawals 20 / 9,000.
        ALL_FIGURES.put(
                a + "Fees by movement type",
                List.of(
                        "currency|movement_type|postings|total_gross_minor|total_fees_minor"
                                + "|effective_bp",
                        "EUR|DEPOSIT|4|18000|230|127.78",
                        "EUR|REFUND|3|1500|0|0.0",
                        "EUR|WITHDRAWAL|1|9000|20|22.22",
                        "USD|DEPOSIT|2|3000|60|200.0"));
        ALL_FIGURES.put(
                a + "Batches with adjustments",
                List.of(
                        "batch_id|partner_id|currency|period_start|closed_at|postings|adjustments"
                                + "|net_payable_minor|carried_in_minor|carried_out_minor",
                        "b2|p1|USD|2026-11-21 00:00:00|2026-11-22 00:05:00|2|1|2740|-200|0"));
        // Reconciliation: r1 and r5 cleared in their newest version; r2 checked again at 12:00
        // (3 h open); r8 reopened at 11:20 (its earlier clearing does not count as cleared); the
        // chain break was last checked the day before.
        ALL_FIGURES.put(
                a + "Open mismatches by kind",
                List.of(
                        "kind|open_mismatches|oldest_first_seen|oldest_age_seconds",
                        "MISSING_IN_CLICKHOUSE|1|2026-11-21 11:20:00|1200",
                        "MISSING_IN_POSTGRES|2|2026-11-21 09:00:00|10800",
                        "SUM_NOT_ZERO|1|2026-11-21 11:30:00|1800"));
        ALL_FIGURES.put(
                a + "Mismatches cleared over time",
                List.of(
                        "time|kind|cleared",
                        "2026-11-21 10:10:00|MISSING_IN_CLICKHOUSE|1",
                        "2026-11-21 11:00:00|AMOUNT_MISMATCH_CLICKHOUSE|1"));
        // s1's latest import (line 2 matched), s2; not s0 (the day before).
        ALL_FIGURES.put(
                a + "Statement items by result",
                List.of(
                        "result|currency|items|amount_minor",
                        "MATCHED|EUR|2|1250",
                        "MATCHED|USD|1|900",
                        "UNMATCHED_LEDGER_MOVEMENT|EUR|2|1100",
                        "UNMATCHED_STATEMENT_LINE|EUR|1|300",
                        "UNMATCHED_STATEMENT_LINE|USD|1|50"));
        // Ages in days from the item's date to the statement's (latest) matching, 2026-11-21.
        ALL_FIGURES.put(
                a + "Statement exceptions by age",
                List.of(
                        "statement_id|result|currency|exceptions|amount_minor|oldest_item_date"
                                + "|oldest_age_days",
                        "s1|UNMATCHED_LEDGER_MOVEMENT|EUR|2|1100|2026-11-19|2",
                        "s1|UNMATCHED_STATEMENT_LINE|EUR|1|300|2026-11-17|4",
                        "s2|UNMATCHED_STATEMENT_LINE|USD|1|50|2026-11-15|6"));
    }

    /** With partner p1 and EUR selected: the panels whose figures change, exactly. */
    private static final Map<String, List<String>> P1_EUR_FIGURES = new LinkedHashMap<>();

    static {
        String a = "Ledgerflow analysts / ";
        P1_EUR_FIGURES.put(a + "Decisions", List.of("decisions", "6"));
        P1_EUR_FIGURES.put(a + "Approval rate", List.of("approval_rate", "0.5"));
        P1_EUR_FIGURES.put(a + "Late decisions", List.of("late_decisions", "1"));
        P1_EUR_FIGURES.put(
                a + "Volume and value by partner and currency",
                List.of(
                        "partner_id|currency|decisions|value_minor|completed|completed_minor|refused"
                                + "|approval_rate|smallest_minor|largest_minor|open_windows",
                        "p1|EUR|6|4380|3|3700|3|0.5|80|2500|0"));
        P1_EUR_FIGURES.put(
                a + "Refusals by reason",
                List.of("reason|refusals", "INSUFFICIENT_FUNDS|2", "FRAUD_SUSPECTED|1"));
        P1_EUR_FIGURES.put(
                a + "Fraud alerts by partner",
                List.of(
                        "partner_id|alerts|matches|blocked|accounts|rules",
                        "p1|1|3|0|1|velocity-1"));
        P1_EUR_FIGURES.put(
                a + "Late decisions by partner",
                List.of(
                        "partner_id|missed_view|late_decisions|late_value_minor|latest_event_time",
                        "p1|account|1|500|2026-11-21 09:59:30",
                        "p1|partner|1|500|2026-11-21 09:59:30"));
        P1_EUR_FIGURES.put(
                a + "Settlement by partner, currency and period",
                List.of(
                        "partner_id|currency|period_start|period_end|batches|postings|adjustments"
                                + "|total_credits_minor|total_refunds_minor|total_fees_minor"
                                + "|total_net_payable_minor|total_payout_minor",
                        "p1|EUR|2026-11-21 00:00:00|2026-11-22 00:00:00|1|3|0|10000|500|150|9350|9350"));
        P1_EUR_FIGURES.put(
                a + "Net payable and fees by partner and currency",
                List.of(
                        "time|partner_id|currency|net_payable_minor|fees_minor",
                        "2026-11-21 00:00:00|p1|EUR|9350|150"));
        P1_EUR_FIGURES.put(
                a + "Fees by movement type",
                List.of(
                        "currency|movement_type|postings|total_gross_minor|total_fees_minor"
                                + "|effective_bp",
                        "EUR|DEPOSIT|2|10000|150|150.0",
                        "EUR|REFUND|1|500|0|0.0"));
        // p1's adjustment is in USD.
        P1_EUR_FIGURES.put(
                a + "Batches with adjustments",
                List.of(
                        "batch_id|partner_id|currency|period_start|closed_at|postings|adjustments"
                                + "|net_payable_minor|carried_in_minor|carried_out_minor"));
        // The platform-wide SUM_NOT_ZERO (no partner) stays whatever partner is selected.
        P1_EUR_FIGURES.put(
                a + "Open mismatches by kind",
                List.of(
                        "kind|open_mismatches|oldest_first_seen|oldest_age_seconds",
                        "MISSING_IN_CLICKHOUSE|1|2026-11-21 11:20:00|1200",
                        "MISSING_IN_POSTGRES|1|2026-11-21 09:00:00|10800",
                        "SUM_NOT_ZERO|1|2026-11-21 11:30:00|1800"));
        P1_EUR_FIGURES.put(
                a + "Mismatches cleared over time",
                List.of("time|kind|cleared", "2026-11-21 11:00:00|AMOUNT_MISMATCH_CLICKHOUSE|1"));
        // Bank lines of no known movement (no partner) stay; p2's movement t6 does not.
        P1_EUR_FIGURES.put(
                a + "Statement items by result",
                List.of(
                        "result|currency|items|amount_minor",
                        "MATCHED|EUR|2|1250",
                        "UNMATCHED_LEDGER_MOVEMENT|EUR|1|400",
                        "UNMATCHED_STATEMENT_LINE|EUR|1|300"));
        P1_EUR_FIGURES.put(
                a + "Statement exceptions by age",
                List.of(
                        "statement_id|result|currency|exceptions|amount_minor|oldest_item_date"
                                + "|oldest_age_days",
                        "s1|UNMATCHED_LEDGER_MOVEMENT|EUR|1|400|2026-11-19|2",
                        "s1|UNMATCHED_STATEMENT_LINE|EUR|1|300|2026-11-17|4"));
    }

    @Test
    void everyClickHousePanelReturnsItsColumnsAndExactFigures() throws SQLException {
        List<Panel> panels = GrafanaDashboards.panelsOf(GrafanaDashboards.CLICKHOUSE);
        assertThat(panels).as("ClickHouse panels").hasSizeGreaterThanOrEqualTo(24);
        assertThat(new TreeSet<>(panels.stream().map(Panel::key).toList()))
                .as("panels with expected figures in this test (add them for a new panel)")
                .isEqualTo(new TreeSet<>(ALL_FIGURES.keySet()));
        SoftAssertions softly = new SoftAssertions();
        for (Panel panel : panels) {
            softly.assertThat(run(panel, ALL))
                    .as(panel.toString())
                    .isEqualTo(ALL_FIGURES.get(panel.key()));
        }
        softly.assertAll();
    }

    @Test
    void partnerAndCurrencyNarrowEveryPanel() throws SQLException {
        SoftAssertions softly = new SoftAssertions();
        for (Panel panel : GrafanaDashboards.panelsOf(GrafanaDashboards.CLICKHOUSE)) {
            List<String> rows = run(panel, P1_EUR);
            List<String> expected = P1_EUR_FIGURES.get(panel.key());
            if (expected != null) {
                softly.assertThat(rows).as(panel + " for p1, EUR").isEqualTo(expected);
            } else {
                // Same columns; no row of another partner or currency.
                softly.assertThat(rows.get(0))
                        .as(panel + " columns")
                        .isEqualTo(ALL_FIGURES.get(panel.key()).get(0));
                softly.assertThat(rows.subList(1, rows.size()))
                        .as(panel + " for p1, EUR")
                        .noneMatch(
                                r -> r.contains("|p2|") || r.contains("USD") || r.endsWith("|p2"));
            }
        }
        softly.assertAll();
    }

    @Test
    void everyLevelReadsItsOwnWindows() throws SQLException {
        Dashboard analysts = GrafanaDashboards.byUid("ledgerflow-analysts");
        List<String> levels = new ArrayList<>();
        analysts.variable("level")
                .path("options")
                .forEach(o -> levels.add(o.path("value").asText()));
        // The levels the sinks job writes (sinks aggregates, AggregatesConfig).
        assertThat(levels).containsExactly("1m", "5m", "15m", "1h", "1d");
        Panel decisions = analysts.panel("Decisions");
        Panel byPartner = analysts.panel("Decisions by partner");
        // The seeded day has hourly and daily windows of the same 14 decisions.
        assertThat(run(decisions, ALL.with("level", Variable.of("1d"))))
                .containsExactly("decisions", "14");
        assertThat(run(byPartner, ALL.with("level", Variable.of("1d"))))
                .containsExactly(
                        "time|partner_id|decisions",
                        "2026-11-21 00:00:00|p1|8",
                        "2026-11-21 00:00:00|p2|6");
        for (String level : List.of("1m", "5m", "15m")) {
            assertThat(run(byPartner, ALL.with("level", Variable.of(level))))
                    .as(level)
                    .containsExactly("time|partner_id|decisions");
        }
    }

    @Test
    void variablesListThePartnersAndCurrencies() throws SQLException {
        Dashboard analysts = GrafanaDashboards.byUid("ledgerflow-analysts");
        assertThat(query(variableSql(analysts, "partner")))
                .containsExactly("partner_id", "p1", "p2");
        assertThat(query(variableSql(analysts, "currency")))
                .containsExactly("currency", "EUR", "USD");
    }

    private static String variableSql(Dashboard d, String name) {
        JsonNode v = d.variable(name);
        assertThat(v.path("datasource").path("type").asText())
                .isEqualTo(GrafanaDashboards.CLICKHOUSE);
        return GrafanaClickHouseMacros.expand(v.path("query").asText(), ALL);
    }

    /** The panel's one query, expanded for {@code selection}, run; its columns, then its rows. */
    private static List<String> run(Panel panel, Selection selection) {
        assertThat(panel.targets()).as(panel + " queries").hasSize(1);
        String sql =
                GrafanaClickHouseMacros.expand(
                        panel.targets().get(0).path("rawSql").asText(), selection);
        try {
            return query(sql);
        } catch (SQLException e) {
            // As a row, so that one broken panel does not hide the others' results.
            return List.of("ClickHouse refused the query: " + e.getMessage(), sql);
        }
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = target.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            rows.add(String.join("|", columns));
            while (rs.next()) {
                List<String> fields = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    int type = meta.getColumnType(i);
                    if (type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE) {
                        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                        fields.add(t == null ? "" : TIME.format(t));
                    } else {
                        String value = rs.getString(i);
                        fields.add(value == null ? "" : value);
                    }
                }
                rows.add(String.join("|", fields));
            }
        }
        return rows;
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = target.connect();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
