package io.ledgerflow.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.readmodel.settlement.FeeRule;
import io.ledgerflow.readmodel.settlement.FeeSchedule;
import io.ledgerflow.readmodel.settlement.SettledPosting;
import io.ledgerflow.readmodel.settlement.SettlementBatch;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import io.ledgerflow.readmodel.settlement.SettlementPeriod;
import io.ledgerflow.readmodel.settlement.SettlementRules;
import io.ledgerflow.sinks.clickhouse.AnalystQueries;
import io.ledgerflow.sinks.clickhouse.ClickHouseMigrations;
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The settlement analyst queries ({@code settlement_*.sql} in the sinks' queries folder) on the
 * real ClickHouse, over batches made by the settlement rules and copied as the settlement command
 * copies them (twice: a re-copied batch must count once), with exact figures.
 */
@ExtendWith(ClickHouseExtension.class)
class SettlementQueriesITCase {

    private static final List<FeeSchedule> FEES =
            List.of(
                    new FeeSchedule(
                            "p1",
                            1,
                            Instant.parse("2026-01-01T00:00:00Z"),
                            List.of(
                                    new FeeRule("CAPTURE", "USD", 290, 30, null, null),
                                    new FeeRule("REFUND", "USD", 0, 15, null, null))),
                    new FeeSchedule(
                            "p2",
                            1,
                            Instant.parse("2026-01-01T00:00:00Z"),
                            List.of(new FeeRule("CAPTURE", "USD", 100, 0, 50L, null))));

    @Test
    void settlementQueriesGiveExactFigures(ClickHouseServer clickHouse) throws SQLException {
        ClickHouseTarget target =
                new ClickHouseTarget(
                        "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                        "settlement_queries_it",
                        "default",
                        "");
        try (Connection c = target.connectToServer();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS settlement_queries_it");
        }
        ClickHouseMigrations.apply(target);

        SettlementCalendar utc = SettlementCalendar.DAILY_UTC;
        SettlementPeriod dec1 = utc.periodOf(Instant.parse("2026-12-01T12:00:00Z"));
        SettlementPeriod dec2 = utc.next(dec1);
        // p1, Dec 1: captures 10,005 (fee 290 + 30 = 320) and 2,000 (58 + 30 = 88), refund 500
        // (15). Net 12005 - 500 - 423 = 11,082.
        SettlementBatch p1Dec1 =
                batch(
                        "p1",
                        dec1,
                        List.of(
                                posting(
                                        "s1",
                                        1,
                                        "CAPTURE",
                                        "CREDIT",
                                        10_005,
                                        "2026-12-01T09:00:00Z"),
                                posting(
                                        "s1",
                                        2,
                                        "CAPTURE",
                                        "CREDIT",
                                        2_000,
                                        "2026-12-01T10:00:00Z"),
                                posting("s1", 3, "REFUND", "DEBIT", 500, "2026-12-01T11:00:00Z")));
        // p1, Dec 2: a capture of 1,000 (29 + 30 = 59) and a late one of Dec 1, 3,000 (87 + 30 =
        // 117) as an adjustment. Net 4000 - 176 = 3,824.
        SettlementBatch p1Dec2 =
                batch(
                        "p1",
                        dec2,
                        List.of(
                                posting(
                                        "s1",
                                        4,
                                        "CAPTURE",
                                        "CREDIT",
                                        3_000,
                                        "2026-12-01T23:00:00Z"),
                                posting(
                                        "s1",
                                        5,
                                        "CAPTURE",
                                        "CREDIT",
                                        1_000,
                                        "2026-12-02T08:00:00Z")));
        // p2, Dec 1: 1 % with a minimum of 50: 4,000 -> 40 -> 50. Net 3,950.
        SettlementBatch p2Dec1 =
                batch(
                        "p2",
                        dec1,
                        List.of(
                                posting(
                                        "s2",
                                        1,
                                        "CAPTURE",
                                        "CREDIT",
                                        4_000,
                                        "2026-12-01T15:00:00Z")));
        assertThat(p1Dec1.netPayableMinor()).isEqualTo(11_082);
        assertThat(p1Dec2.netPayableMinor()).isEqualTo(3_824);
        assertThat(p2Dec1.netPayableMinor()).isEqualTo(3_950);

        try (Connection ch = target.connect()) {
            ClickHouseBatches.insert(ch, List.of(p1Dec1, p1Dec2, p2Dec1));
            ClickHouseBatches.insert(ch, List.of(p1Dec1)); // copied again: still one batch
            assertThat(ClickHouseBatches.known(ch))
                    .containsExactlyInAnyOrder(
                            p1Dec1.batchId(), p1Dec2.batchId(), p2Dec1.batchId());

            assertThat(rows(ch, AnalystQueries.SETTLEMENT_BY_PARTNER_PER_DAY))
                    .containsExactly(
                            // partner|cur|day|batches|postings|adjustments|credits|refunds|fees|net|payout
                            "p1|USD|2026-12-01|1|3|0|12005|500|423|11082|11082",
                            "p1|USD|2026-12-02|1|2|1|4000|0|176|3824|3824",
                            "p2|USD|2026-12-01|1|1|0|4000|0|50|3950|3950");
            assertThat(rows(ch, AnalystQueries.SETTLEMENT_FEES_BY_MOVEMENT_TYPE))
                    .containsExactly(
                            // cur|type|postings|gross|fees|effective bp: 634 / 20005 = 316.92 bp
                            "USD|CAPTURE|5|20005|634|316.92",
                            // 15 / 500 = 300 bp
                            "USD|REFUND|1|500|15|300.0");
        }
    }

    private static SettlementBatch batch(
            String partner, SettlementPeriod period, List<SettledPosting> postings) {
        return SettlementRules.batch(
                partner,
                "USD",
                postings.get(0).accountId(),
                period,
                period.end().plusSeconds(600),
                postings,
                FEES.stream().filter(f -> f.partnerId().equals(partner)).toList(),
                0);
    }

    private static SettledPosting posting(
            String account, long seq, String type, String direction, long amount, String at) {
        return new SettledPosting(
                account,
                seq,
                account + "-t" + seq,
                type,
                direction,
                amount,
                false,
                Instant.parse(at),
                Instant.parse(at).plusSeconds(1),
                "%064d".formatted(seq));
    }

    private static List<String> rows(Connection ch, AnalystQueries query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = ch.createStatement();
                ResultSet r = s.executeQuery(query.sql())) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    if (i > 1) {
                        row.append('|');
                    }
                    row.append(r.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
