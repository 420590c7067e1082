package io.ledgerflow.sinks.aggregates;

import static io.ledgerflow.sinks.testutils.Decisions.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.sinks.clickhouse.AnalystQueries;
import io.ledgerflow.sinks.testutils.LedgerTopics;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sinks job's windowed aggregates on a MiniCluster against real Kafka, registry, PostgreSQL and
 * ClickHouse, fed hand-made ledger decisions in phases (so that the watermark is where the test
 * says): decisions out of order within the bound, decisions late within the allowed lateness after
 * their windows fired (the 5m row replaced in ClickHouse, the hour row in PostgreSQL), one beyond
 * the lateness (stored in {@code late_transactions}, in no aggregate of the views that missed it),
 * and a HELD that counts nowhere. Every window row in both stores must equal the figures worked out
 * by hand below.
 *
 * <p>Times are on 2026-03-02 (UTC); out-of-orderness bound 5 s, allowed lateness 10 min. Accounts
 * A1, A2, A3 belong to partner P1 (EUR), B1, B2 to P2 (USD).
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class AggregatesITCase {

    private static final String PREFIX = "it-aggregates-";
    private static final String PG_DATABASE = "aggregates_it";
    private static final String CH_DATABASE = "aggregates_it";
    private static final String DAY = "2026-03-02T";

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    @TempDir Path checkpoints;

    @Test
    void windowFiguresInBothStoresAreExactWithOutOfOrderLateAndTooLateDecisions(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        LedgerJobConfig ledgerConfig =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX);
        SinksConfig sinksConfig =
                StoreRows.sinksConfig(
                        kafka,
                        registry,
                        postgres,
                        clickHouse,
                        PREFIX,
                        PG_DATABASE,
                        CH_DATABASE,
                        Duration.ofMillis(1000),
                        checkpoints.toUri().toString());
        String pgUrl = sinksConfig.postgres().url();
        AggregatesConfig aggregates =
                AggregatesConfig.defaults()
                        .withTimeBounds(
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(1),
                                Duration.ofMinutes(10));
        SinksJob job = new SinksJob(sinksConfig, aggregates);
        StoreRows.freshStores(job, CH_DATABASE);

        // One partition: the decisions reach the watermark generator in the order produced here.
        LedgerTopics topics = new LedgerTopics(ledgerConfig);
        topics.createTopics(1);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(SinksJob.clusterConfiguration(sinksConfig));
        JobClient sinks = job.start(env);
        try (Connection pg =
                        DriverManager.getConnection(
                                pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                Connection ch = job.clickHouseTarget().connect()) {
            // Phase 1: t04 and t06 come after later ones but within the 5 s bound (t06 even
            // across a minute's end); t08 is HELD (not a decision yet). t10 moves the watermark
            // to 10:05:25: every window of 10:00-10:05 fires on time.
            topics.produceResults(
                    List.of(
                            tx(
                                    "t01",
                                    "10:00:05",
                                    "P1",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "A1",
                                    "A2",
                                    1_000),
                            tx(
                                    "t02",
                                    "10:00:20",
                                    "P1",
                                    TransactionStatus.REJECTED,
                                    ReasonCode.INSUFFICIENT_FUNDS,
                                    "A1",
                                    "A3",
                                    5_000),
                            deposit("t03", "10:00:50", "A2", 700),
                            tx(
                                    "t04",
                                    "10:00:48",
                                    "P1",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "A2",
                                    "A1",
                                    300),
                            capture("t05", "10:01:02", "A3", "A1", 200),
                            expiredHold("t06", "10:00:59", "A1", 150),
                            tx(
                                    "t07",
                                    "10:01:10",
                                    "P2",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "B1",
                                    "B2",
                                    400),
                            tx(
                                    "t08",
                                    "10:02:10",
                                    "P1",
                                    TransactionStatus.HELD,
                                    null,
                                    "A1",
                                    "A2",
                                    900),
                            withdrawalRejected("t09", "10:03:15", "A2", 100),
                            tx(
                                    "t10",
                                    "10:05:30",
                                    "P1",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "A1",
                                    "A2",
                                    50)));
            String fiveMinutes =
                    "SELECT movements, total_minor, rejected, version FROM window_aggregates FINAL"
                            + " WHERE scope = 'partner' AND level = '5m' AND partner_id = 'P1'"
                            + " AND window_start = '2026-03-02 10:00:00'";
            StoreRows.awaitRows(
                    "5m 10:00 on time",
                    List.of("7|7450|2|7"),
                    () -> StoreRows.query(ch, fiveMinutes));

            // Phase 2: t11 at 10:00:30 is late (watermark 10:05:25) but within the lateness: the
            // 1m and 5m rows of 10:00 are written again, with the higher version, and replace the
            // first ones.
            topics.produceResults(
                    List.of(
                            tx(
                                    "t11",
                                    "10:00:30",
                                    "P1",
                                    TransactionStatus.REJECTED,
                                    ReasonCode.INSUFFICIENT_FUNDS,
                                    "A3",
                                    "A1",
                                    2_000)));
            StoreRows.awaitRows(
                    "5m 10:00 revised",
                    List.of("8|9450|3|8"),
                    () -> StoreRows.query(ch, fiveMinutes));

            // Issue 18: hour 10 and the day are still open (the watermark is at 10:05:25), and
            // their figures so far are in both stores already, marked open.
            String openHour =
                    "SELECT movements, open FROM window_aggregates%s WHERE scope = 'partner'"
                            + " AND level = '1h' AND partner_id = 'P1'"
                            + " AND window_start = '2026-03-02 10:00:00%s'";
            StoreRows.awaitRows(
                    "P1 hour 10 early in ClickHouse",
                    List.of("9|true"),
                    () -> StoreRows.query(ch, openHour.formatted(" FINAL", "")));
            StoreRows.awaitRows(
                    "P1 hour 10 early in PostgreSQL",
                    List.of("9|t"),
                    () -> StoreRows.query(pg, openHour.formatted("", "+00")));

            // Phase 3: t12 moves the watermark to 11:04:55: hour 10 fires on time (partner P1
            // version 9). t12b at 10:58 is late but within the lateness of its minute and of every
            // level above, up to the hour: the hour's row in PostgreSQL is replaced (version 10).
            topics.produceResults(
                    List.of(
                            tx(
                                    "t12",
                                    "11:05:00",
                                    "P1",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "A1",
                                    "A2",
                                    10)));
            String hour10 =
                    "SELECT movements, total_minor, approved_minor, version FROM window_aggregates"
                            + " WHERE scope = 'partner' AND level = '1h' AND partner_id = 'P1'"
                            + " AND window_start = '2026-03-02 10:00:00+00'";
            StoreRows.awaitRows(
                    "P1 hour 10 on time in PostgreSQL",
                    List.of("9|9500|2250|9"),
                    () -> StoreRows.query(pg, hour10));
            topics.produceResults(
                    List.of(
                            tx(
                                    "t12b",
                                    "10:58:00",
                                    "P1",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "A3",
                                    "A2",
                                    25)));
            StoreRows.awaitRows(
                    "P1 hour 10 revised in PostgreSQL",
                    List.of("10|9525|2275|10"),
                    () -> StoreRows.query(pg, hour10));
            StoreRows.awaitRows(
                    "P1 hour 10 closed in both stores",
                    List.of("10|f", "10|false"),
                    () -> {
                        List<String> rows =
                                new java.util.ArrayList<>(
                                        StoreRows.query(pg, openHour.formatted("", "+00")));
                        rows.addAll(StoreRows.query(ch, openHour.formatted(" FINAL", "")));
                        return rows;
                    });

            // t15 moves the watermark to 11:19:55 (the 15m window 11:00 fires): hour 10's state
            // is gone (its lateness ended at 11:10). Then t13 at 10:00:40 is too late for the
            // partner's minute and for A2's and A3's hour: late_transactions, 3 rows.
            topics.produceResults(
                    List.of(
                            tx(
                                    "t15",
                                    "11:20:00",
                                    "P1",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "A1",
                                    "A2",
                                    10)));
            StoreRows.awaitRows(
                    "P1 15m 11:00",
                    List.of("1"),
                    () ->
                            StoreRows.query(
                                    ch,
                                    "SELECT movements FROM window_aggregates FINAL"
                                            + " WHERE scope = 'partner' AND level = '15m'"
                                            + " AND partner_id = 'P1'"
                                            + " AND window_start = '2026-03-02 11:00:00'"));
            topics.produceResults(
                    List.of(
                            tx(
                                    "t13",
                                    "10:00:40",
                                    "P1",
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "A2",
                                    "A3",
                                    999)));
            List<String> late =
                    List.of("partner||t13|999", "account|A2|t13|999", "account|A3|t13|999");
            String lateQuery =
                    "SELECT scope, account_id, transaction_id, amount_minor FROM late_transactions";
            StoreRows.awaitRows(
                    "late in ClickHouse", late, () -> StoreRows.query(ch, lateQuery + " FINAL"));
            StoreRows.awaitRows("late in PostgreSQL", late, () -> StoreRows.query(pg, lateQuery));

            // Phase 4: t14 on the next day moves the watermark to 00:19:55: the days fire.
            topics.produceResults(
                    List.of(
                            result(
                                    "t14",
                                    "2026-03-03T00:20:00Z",
                                    "P2",
                                    "USD",
                                    MovementType.TRANSFER,
                                    TransactionStatus.COMPLETED,
                                    null,
                                    "B2",
                                    "B1",
                                    40)));

            List<String> partner = new ArrayList<>();
            // scope|level|window start|partner|currency|account|movements|total|min|max|approved|
            // approved value|rejected|rejections by reason|distinct counterparties|version
            partner.add(
                    "partner|1m|10:00|P1|EUR||6|9150|150|5000|3|2000|2|INSUFFICIENT_FUNDS=2|3|6");
            partner.add("partner|1m|10:01|P1|EUR||1|200|200|200|1|200|0||2|1");
            partner.add("partner|1m|10:03|P1|EUR||1|100|100|100|0|0|1|ACCOUNT_FROZEN=1|1|1");
            partner.add("partner|1m|10:05|P1|EUR||1|50|50|50|1|50|0||2|1");
            partner.add("partner|1m|10:58|P1|EUR||1|25|25|25|1|25|0||2|1");
            partner.add("partner|1m|11:05|P1|EUR||1|10|10|10|1|10|0||2|1");
            partner.add("partner|1m|11:20|P1|EUR||1|10|10|10|1|10|0||2|1");
            partner.add(
                    "partner|5m|10:00|P1|EUR||8|9450|100|5000|4|2200|3|ACCOUNT_FROZEN=1,INSUFFICIENT_FUNDS=2|3|8");
            partner.add("partner|5m|10:05|P1|EUR||1|50|50|50|1|50|0||2|1");
            partner.add("partner|5m|10:55|P1|EUR||1|25|25|25|1|25|0||2|1");
            partner.add("partner|5m|11:05|P1|EUR||1|10|10|10|1|10|0||2|1");
            partner.add("partner|5m|11:20|P1|EUR||1|10|10|10|1|10|0||2|1");
            partner.add(
                    "partner|15m|10:00|P1|EUR||9|9500|50|5000|5|2250|3|ACCOUNT_FROZEN=1,INSUFFICIENT_FUNDS=2|3|9");
            partner.add("partner|15m|10:45|P1|EUR||1|25|25|25|1|25|0||2|1");
            partner.add("partner|15m|11:00|P1|EUR||1|10|10|10|1|10|0||2|1");
            partner.add("partner|15m|11:15|P1|EUR||1|10|10|10|1|10|0||2|1");
            String p1Hour10 = "10|9525|25|5000|6|2275|3|ACCOUNT_FROZEN=1,INSUFFICIENT_FUNDS=2|3|10";
            String p1Hour11 = "2|20|10|10|2|20|0||2|2";
            String p1Day = "12|9545|10|5000|8|2295|3|ACCOUNT_FROZEN=1,INSUFFICIENT_FUNDS=2|3|12";
            String p2 = "1|400|400|400|1|400|0||2|1";
            partner.add("partner|1m|10:01|P2|USD||" + p2);
            partner.add("partner|5m|10:00|P2|USD||" + p2);
            partner.add("partner|15m|10:00|P2|USD||" + p2);
            List<String> readModel = new ArrayList<>();
            readModel.add("partner|1h|10:00|P1|EUR||" + p1Hour10);
            readModel.add("partner|1h|11:00|P1|EUR||" + p1Hour11);
            readModel.add("partner|1d|00:00|P1|EUR||" + p1Day);
            readModel.add("partner|1h|10:00|P2|USD||" + p2);
            readModel.add("partner|1d|00:00|P2|USD||" + p2);
            // Accounts: a transfer counts for both sides; a deposit's or withdrawal's or expired
            // hold's other side is the outside world (no counterparty). t13 is in none.
            readModel.add(
                    "account|1h|10:00|P1|EUR|A1|7|8700|50|5000|4|1550|2|INSUFFICIENT_FUNDS=2|2|7");
            readModel.add(
                    "account|1h|10:00|P1|EUR|A2|6|2175|25|1000|5|2075|1|ACCOUNT_FROZEN=1|2|6");
            readModel.add(
                    "account|1h|10:00|P1|EUR|A3|4|7225|25|5000|2|225|2|INSUFFICIENT_FUNDS=2|2|4");
            readModel.add("account|1h|10:00|P2|USD|B1|1|400|400|400|1|400|0||1|1");
            readModel.add("account|1h|10:00|P2|USD|B2|1|400|400|400|1|400|0||1|1");
            readModel.add("account|1h|11:00|P1|EUR|A1|2|20|10|10|2|20|0||1|2");
            readModel.add("account|1h|11:00|P1|EUR|A2|2|20|10|10|2|20|0||1|2");
            readModel.add(
                    "account|1d|00:00|P1|EUR|A1|9|8720|10|5000|6|1570|2|INSUFFICIENT_FUNDS=2|2|9");
            readModel.add(
                    "account|1d|00:00|P1|EUR|A2|8|2195|10|1000|7|2095|1|ACCOUNT_FROZEN=1|2|8");
            readModel.add(
                    "account|1d|00:00|P1|EUR|A3|4|7225|25|5000|2|225|2|INSUFFICIENT_FUNDS=2|2|4");
            readModel.add("account|1d|00:00|P2|USD|B1|1|400|400|400|1|400|0||1|1");
            readModel.add("account|1d|00:00|P2|USD|B2|1|400|400|400|1|400|0||1|1");
            List<String> analytics = new ArrayList<>(partner);
            analytics.addAll(readModel);

            StoreRows.awaitRows(
                    "PostgreSQL window_aggregates (1h and 1d)",
                    readModel,
                    () ->
                            StoreRows.query(
                                    pg,
                                    "SELECT scope, level, to_char(window_start AT TIME ZONE 'UTC',"
                                            + " 'HH24:MI'), partner_id, currency, account_id,"
                                            + " movements, total_minor, min_minor, max_minor,"
                                            + " approved, approved_minor, rejected,"
                                            + " (SELECT string_agg(key || '=' || value, ','"
                                            + " ORDER BY key) FROM"
                                            + " jsonb_each_text(rejections_by_reason)),"
                                            + " distinct_counterparties, version"
                                            + " FROM window_aggregates"));
            StoreRows.awaitRows(
                    "ClickHouse window_aggregates (every level)",
                    analytics,
                    () ->
                            StoreRows.query(
                                    ch,
                                    "SELECT scope, level, formatDateTime(window_start, '%H:%i'),"
                                            + " partner_id, currency, account_id, movements,"
                                            + " total_minor, min_minor, max_minor, approved,"
                                            + " approved_minor, rejected,"
                                            + " arrayStringConcat(arrayMap((k, v) -> concat(k,"
                                            + " '=', toString(v)),"
                                            + " mapKeys(rejections_by_reason),"
                                            + " mapValues(rejections_by_reason)), ','),"
                                            + " distinct_counterparties, version"
                                            + " FROM window_aggregates FINAL"
                                            + " WHERE window_start < '2026-03-03 00:00:00'"));
            // The analyst queries over the same data.
            assertThat(StoreRows.query(ch, AnalystQueries.PARTNER_VOLUME_BY_HOUR.sql()))
                    .containsExactly(
                            "P1|EUR|2026-03-02 10:00:00|10|9525|2275|3|0.3|3",
                            "P1|EUR|2026-03-02 11:00:00|2|20|20|0|0.0|2",
                            "P2|USD|2026-03-02 10:00:00|1|400|400|0|0.0|2");
            assertThat(
                            StoreRows.query(
                                    ch, AnalystQueries.PARTNER_REJECTIONS_BY_REASON_PER_DAY.sql()))
                    .containsExactly(
                            "P1|EUR|2026-03-02 00:00:00|INSUFFICIENT_FUNDS|2|0.1667",
                            "P1|EUR|2026-03-02 00:00:00|ACCOUNT_FROZEN|1|0.0833");
            assertThat(StoreRows.query(ch, AnalystQueries.LATE_TRANSACTIONS_BY_PARTNER.sql()))
                    .containsExactly(
                            "P1|account|2|1|1998|2026-03-02 10:00:40",
                            "P1|partner|1|1|999|2026-03-02 10:00:40");
        } finally {
            FlinkJobs.cancelAndWait(sinks);
        }
    }

    private static TransactionResult tx(
            String id,
            String time,
            String partner,
            TransactionStatus status,
            ReasonCode reason,
            String from,
            String to,
            long amount) {
        return result(
                id,
                DAY + time + "Z",
                partner,
                partner.equals("P1") ? "EUR" : "USD",
                MovementType.TRANSFER,
                status,
                reason,
                from,
                to,
                amount);
    }

    private static TransactionResult deposit(String id, String time, String to, long amount) {
        return result(
                id,
                DAY + time + "Z",
                "P1",
                "EUR",
                MovementType.DEPOSIT,
                TransactionStatus.COMPLETED,
                null,
                null,
                to,
                amount);
    }

    private static TransactionResult capture(
            String id, String time, String from, String to, long amount) {
        return result(
                id,
                DAY + time + "Z",
                "P1",
                "EUR",
                MovementType.CAPTURE,
                TransactionStatus.COMPLETED,
                null,
                from,
                to,
                amount);
    }

    private static TransactionResult expiredHold(String id, String time, String on, long amount) {
        return result(
                id,
                DAY + time + "Z",
                "P1",
                "EUR",
                MovementType.HOLD,
                TransactionStatus.EXPIRED,
                ReasonCode.HOLD_EXPIRED,
                on,
                null,
                amount);
    }

    private static TransactionResult withdrawalRejected(
            String id, String time, String from, long amount) {
        return result(
                id,
                DAY + time + "Z",
                "P1",
                "EUR",
                MovementType.WITHDRAWAL,
                TransactionStatus.REJECTED,
                ReasonCode.ACCOUNT_FROZEN,
                from,
                null,
                amount);
    }
}
