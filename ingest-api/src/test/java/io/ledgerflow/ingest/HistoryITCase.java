package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_ADMIN;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_A;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.ReadModelRows;
import io.ledgerflow.ingest.testutils.ReadModelRows.Entry;
import io.ledgerflow.ingest.testutils.ReadModelRows.Transaction;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The history routes against the real PostgreSQL read model (its own migrations; rows written as
 * the sinks job writes them): pages that neither skip nor repeat a row while rows arrive,
 * statements and balances that agree with a replay of the entries after a random workload, partner
 * isolation and the admin scope, metadata filters, and the statement's CSV.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class HistoryITCase {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private static ReadModelRows rows;
    private static RunningApi api;

    @BeforeAll
    static void start(KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres) {
        rows = ReadModelRows.create(postgres, "api_history_it");
        api = new RunningApi(kafka, registry, rows.apiEnv());
    }

    @AfterAll
    static void stop() throws SQLException {
        if (api != null) {
            api.close();
        }
        if (rows != null) {
            rows.close();
        }
    }

    // ------------------------------------------------------------------ pagination

    @Test
    void pagesNeitherRepeatNorSkipARowWhileRowsArrive() throws Exception {
        rows.account("pg-main", PARTNER_A, "USD");
        rows.account("pg-peer", PARTNER_A, "USD");
        Random random = new Random(16);
        // Three rows per received time: the transaction id breaks the ties.
        for (int i = 0; i < 300; i++) {
            Instant received = NOW.minus(Duration.ofMinutes(10L * (i / 3) + 1));
            boolean outgoing = random.nextBoolean();
            rows.transaction(
                    Transaction.transfer(
                            PARTNER_A,
                            "pg-%05d".formatted(i),
                            outgoing ? "pg-main" : "pg-peer",
                            outgoing ? "pg-peer" : "pg-main",
                            100 + i,
                            received));
        }
        assertPagesWhileRowsArrive("/api/v1/transactions?limit=17", "", random);
        assertPagesWhileRowsArrive(
                "/api/v1/transactions?limit=13&accountId=pg-main", "pg-main", random);
    }

    /**
     * Pages through {@code path} while another thread writes transactions, some newer than every
     * row, some in the middle of the history (late arrivals): every row that existed when paging
     * began is read exactly once, no row twice, newest first.
     */
    private static void assertPagesWhileRowsArrive(String path, String account, Random random)
            throws Exception {
        Set<String> before = partnerTransactions(account);
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer =
                new Thread(
                        () -> {
                            try (ReadModelRows w = rows.another()) {
                                while (paging.get()) {
                                    int n = written.incrementAndGet();
                                    Instant received =
                                            n % 2 == 0
                                                    ? Instant.now()
                                                    : NOW.minus(
                                                            Duration.ofMinutes(
                                                                    random.nextInt(1000)));
                                    w.transaction(
                                            Transaction.transfer(
                                                    PARTNER_A,
                                                    "pg-late-" + account + "-" + n,
                                                    "pg-main",
                                                    "pg-peer",
                                                    1,
                                                    received.truncatedTo(ChronoUnit.MICROS)));
                                    Thread.sleep(2);
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "late-rows");
        writer.start();
        List<String> read = new ArrayList<>();
        Instant previous = Instant.MAX;
        String cursor = null;
        int pages = 0;
        try {
            do {
                Answer page =
                        api.client.get(path + (cursor == null ? "" : "&cursor=" + cursor), KEY_A);
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                for (JsonNode item : page.json().get("items")) {
                    Instant accepted = Instant.parse(item.get("acceptedAt").asText());
                    assertThat(accepted).as("newest first").isBeforeOrEqualTo(previous);
                    previous = accepted;
                    read.add(item.get("transactionId").asText());
                }
                JsonNode next = page.json().get("nextCursor");
                cursor = next.isNull() ? null : next.asText();
                pages++;
            } while (cursor != null);
        } finally {
            paging.set(false);
            writer.join();
        }
        assertThat(written.get()).as("rows written while paging").isGreaterThan(pages / 2);
        assertThat(read).as("no row twice").doesNotHaveDuplicates();
        assertThat(read).as("every row that existed when paging began").containsAll(before);
    }

    /** Partner A's transaction ids, of one account when {@code account} is not empty. */
    private static Set<String> partnerTransactions(String account) throws SQLException {
        try (PreparedStatement ps =
                rows.connection()
                        .prepareStatement(
                                "SELECT transaction_id FROM transactions WHERE partner_id = ? AND"
                                        + " (? = '' OR source_account_id = ? OR"
                                        + " destination_account_id = ?)")) {
            ps.setString(1, PARTNER_A);
            ps.setString(2, account);
            ps.setString(3, account);
            ps.setString(4, account);
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            assertThat(ids).isNotEmpty();
            return ids;
        }
    }

    // ------------------------------------------------------------------ statements and balances

    /** One account's entries and holds as the random workload made them: the replay's input. */
    private static final class Ledger {
        final String accountId;
        final List<Entry> entries = new ArrayList<>();
        final List<long[]> holds = new ArrayList<>(); // amount, heldAt, releasedAt (or MAX)
        long balance;

        Ledger(String accountId) {
            this.accountId = accountId;
        }

        /** Replay: the balance after the last entry posted at or before {@code t}. */
        long balanceAt(Instant t) {
            long b = 0;
            for (Entry e : entries) {
                if (!e.postedTime().isAfter(t)) {
                    b = e.balanceAfterMinor();
                }
            }
            return b;
        }

        long balanceBefore(Instant t) {
            return balanceAt(t.minus(1, ChronoUnit.MICROS));
        }

        long heldAt(Instant t) {
            long micros = micros(t);
            return holds.stream()
                    .filter(h -> h[1] <= micros && h[2] > micros)
                    .mapToLong(h -> h[0])
                    .sum();
        }

        List<Entry> between(Instant from, Instant to) {
            return entries.stream()
                    .filter(e -> !e.postedTime().isBefore(from) && e.postedTime().isBefore(to))
                    .toList();
        }
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant ofMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    @Test
    void statementsAndBalancesAgreeWithAReplayOfTheEntries() throws Exception {
        Random random = new Random(1616);
        List<Ledger> ledgers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ledger ledger = new Ledger("wl-" + i);
            rows.account(ledger.accountId, PARTNER_A, "USD");
            ledgers.add(ledger);
        }
        // 60 days of movements between the four accounts and the outside world, in time order.
        Instant start = NOW.minus(Duration.ofDays(60));
        Instant t = start;
        int tx = 0;
        while (t.isBefore(NOW.minus(Duration.ofHours(1)))) {
            t = t.plus(Duration.ofSeconds(1 + random.nextInt(40_000)));
            Ledger from = ledgers.get(random.nextInt(ledgers.size()));
            Ledger to = ledgers.get(random.nextInt(ledgers.size()));
            long amount = 1 + random.nextInt(50_000);
            String id = "wl-t" + (tx++);
            int kind = random.nextInt(10);
            if (kind < 3 || from == to) {
                post(from, id, "DEPOSIT", "CREDIT", amount, "world", t);
            } else if (kind < 5) {
                post(from, id, "WITHDRAWAL", "DEBIT", amount, "world", t);
            } else if (kind < 9) {
                post(from, id, "TRANSFER", "DEBIT", amount, to.accountId, t);
                // The credit leg lands a little later, as through the ledger's Kafka loop.
                post(to, id, "TRANSFER", "CREDIT", amount, from.accountId, t.plusMillis(37));
            } else {
                hold(from, id, amount, t, random);
            }
        }
        // Every account holds money at some time (a hold's time needs no entry beside it).
        for (Ledger ledger : ledgers) {
            hold(ledger, "wl-h-" + ledger.accountId, 777, start.plus(Duration.ofDays(30)), random);
        }
        // Every account: its entries page in sequence order, gap-free from 1, with the replay's
        // balances.
        for (Ledger ledger : ledgers) {
            List<JsonNode> entries = allEntries(ledger.accountId);
            assertThat(entries).hasSameSizeAs(ledger.entries);
            for (int i = 0; i < entries.size(); i++) {
                assertThat(entries.get(i).get("sequence").asLong()).isEqualTo(i + 1);
                assertThat(money(entries.get(i).get("balanceAfter")))
                        .isEqualByComparingTo(decimal(ledger.entries.get(i).balanceAfterMinor()));
            }
        }
        // Statements over random windows (also empty ones, and one over the whole history).
        for (Ledger ledger : ledgers) {
            for (int w = 0; w < 6; w++) {
                Instant from =
                        w == 0 ? start : start.plus(Duration.ofHours(random.nextInt(60 * 24)));
                Instant to =
                        w == 0 ? NOW : from.plus(Duration.ofMinutes(1 + random.nextInt(20_000)));
                JsonNode s = statement(ledger.accountId, from, to);
                BigDecimal opening = money(s.get("openingBalance"));
                BigDecimal closing = money(s.get("closingBalance"));
                BigDecimal credits = money(s.get("totalCredits"));
                BigDecimal debits = money(s.get("totalDebits"));
                assertThat(opening.add(credits).subtract(debits))
                        .as("opening + credits - debits, %s [%s, %s)", ledger.accountId, from, to)
                        .isEqualByComparingTo(closing);
                assertThat(opening).isEqualByComparingTo(decimal(ledger.balanceBefore(from)));
                assertThat(closing).isEqualByComparingTo(decimal(ledger.balanceBefore(to)));
                List<Entry> expected = ledger.between(from, to);
                assertThat(s.get("entryCount").asInt()).isEqualTo(expected.size());
                long sequence = expected.isEmpty() ? 0 : expected.get(0).sequence();
                for (JsonNode e : s.get("entries")) {
                    assertThat(e.get("sequence").asLong()).as("gap-free").isEqualTo(sequence++);
                }
            }
        }
        // Balances at times: before the first entry, exactly at entries, between, and now.
        for (Ledger ledger : ledgers) {
            List<Instant> times = new ArrayList<>(List.of(start.minusSeconds(1), NOW));
            for (int i = 0; i < 8; i++) {
                Entry e = ledger.entries.get(random.nextInt(ledger.entries.size()));
                times.add(e.postedTime());
                times.add(e.postedTime().minus(1, ChronoUnit.MICROS));
            }
            for (long[] h : ledger.holds) {
                times.add(ofMicros(h[1]));
                times.add(ofMicros(h[1] - 1));
                if (h[2] != Long.MAX_VALUE) {
                    times.add(ofMicros(h[2]));
                }
            }
            for (Instant at : times) {
                Answer answer =
                        api.client.get(
                                "/api/v1/accounts/" + ledger.accountId + "/balance?at=" + at,
                                KEY_A);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                JsonNode b = answer.json();
                assertThat(Instant.parse(b.get("at").asText())).isEqualTo(at);
                assertThat(money(b.get("balance")))
                        .as("balance of %s at %s", ledger.accountId, at)
                        .isEqualByComparingTo(decimal(ledger.balanceAt(at)));
                assertThat(money(b.get("held")))
                        .as("held on %s at %s", ledger.accountId, at)
                        .isEqualByComparingTo(decimal(ledger.heldAt(at)));
                assertThat(money(b.get("available")))
                        .isEqualByComparingTo(decimal(ledger.balanceAt(at) - ledger.heldAt(at)));
            }
        }
    }

    private static void post(
            Ledger ledger,
            String txId,
            String type,
            String direction,
            long amount,
            String counterparty,
            Instant posted)
            throws SQLException {
        ledger.balance += "DEBIT".equals(direction) ? -amount : amount;
        Entry entry =
                new Entry(
                        ledger.accountId,
                        ledger.entries.size() + 1,
                        txId,
                        PARTNER_A,
                        type,
                        direction,
                        amount,
                        ledger.balance,
                        counterparty,
                        posted);
        ledger.entries.add(entry);
        rows.entry(entry);
    }

    /** A HOLD: reserved a moment after it was received; captured, voided or still held. */
    private static void hold(Ledger ledger, String txId, long amount, Instant t, Random random)
            throws SQLException {
        Instant held = t.plusMillis(3);
        int fate = random.nextInt(4);
        Instant released = held.plus(Duration.ofMinutes(1 + random.nextInt(3000)));
        String status = fate == 0 ? "HELD" : fate == 1 ? "VOIDED" : "EXPIRED";
        rows.transaction(
                new Transaction(
                        PARTNER_A,
                        txId,
                        "HOLD",
                        "HELD",
                        ledger.accountId,
                        null,
                        amount,
                        "USD",
                        t,
                        held,
                        null,
                        null,
                        amount,
                        held));
        if (fate != 0) {
            rows.releaseHold(PARTNER_A, txId, status, released);
        }
        ledger.holds.add(
                new long[] {amount, micros(held), fate == 0 ? Long.MAX_VALUE : micros(released)});
    }

    private static List<JsonNode> allEntries(String accountId) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Answer page =
                    api.client.get(
                            "/api/v1/accounts/"
                                    + accountId
                                    + "/entries?limit=50"
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            KEY_A);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("items").forEach(all::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);
        return all;
    }

    private static JsonNode statement(String accountId, Instant from, Instant to) {
        Answer answer =
                api.client.get(
                        "/api/v1/accounts/" + accountId + "/statement?from=" + from + "&to=" + to,
                        KEY_A);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).contains("application/json");
        return answer.json();
    }

    private static BigDecimal money(JsonNode node) {
        return new BigDecimal(node.asText());
    }

    private static BigDecimal decimal(long minor) {
        return BigDecimal.valueOf(minor, 2);
    }

    // ------------------------------------------------------------------ isolation and admin

    @Test
    void aPartnerSeesOnlyItsOwnDataAndTheAdminScopeSeesAnyPartners() throws SQLException {
        rows.account("iso-a", PARTNER_A, "EUR");
        rows.account("iso-b", PARTNER_B, "EUR");
        rows.transaction(
                Transaction.transfer(
                        PARTNER_B, "iso-tb", "iso-b", "iso-x", 500, NOW.minusSeconds(30)));
        rows.entry(
                new Entry(
                        "iso-b",
                        1,
                        "iso-tb",
                        PARTNER_B,
                        "DEPOSIT",
                        "CREDIT",
                        500,
                        500,
                        "w",
                        NOW.minusSeconds(30)));
        String window =
                "?from=" + NOW.minus(Duration.ofDays(1)) + "&to=" + NOW.plus(Duration.ofDays(1));
        for (String route : List.of("/entries", "/balance?at=" + NOW, "/statement" + window)) {
            Answer other = api.client.get("/api/v1/accounts/iso-b" + route, KEY_A);
            Answer unknown = api.client.get("/api/v1/accounts/iso-nobody" + route, KEY_A);
            assertThat(other.status()).as(route).isEqualTo(404);
            assertThat(other.code()).isEqualTo("ACCOUNT_NOT_FOUND");
            assertThat(other.json().get("detail")).isEqualTo(unknown.json().get("detail"));
            assertThat(other.json().get("title")).isEqualTo(unknown.json().get("title"));
            // An admin key on the partner routes acts as its own partner: no wider view there.
            assertThat(api.client.get("/api/v1/accounts/iso-b" + route, KEY_ADMIN).status())
                    .isEqualTo(404);
            Answer owner = api.client.get("/api/v1/accounts/iso-b" + route, KEY_B);
            Answer admin = api.client.get("/api/v1/admin/accounts/iso-b" + route, KEY_ADMIN);
            assertThat(owner.status()).as(owner.body()).isEqualTo(200);
            assertThat(admin.status()).as(admin.body()).isEqualTo(200);
            assertThat(admin.body()).isEqualTo(owner.body());
        }
        Answer history = api.client.get("/api/v1/transactions?limit=200", KEY_B);
        assertThat(history.json().get("items"))
                .extracting(item -> item.get("partnerId").asText())
                .containsOnly(PARTNER_B);
        assertThat(
                        api.client
                                .get(
                                        "/api/v1/admin/partners/"
                                                + PARTNER_B
                                                + "/transactions?limit=200",
                                        KEY_ADMIN)
                                .body())
                .isEqualTo(history.body());
        assertThat(api.client.get("/api/v1/transactions?accountId=iso-b", KEY_A).code())
                .isEqualTo("ACCOUNT_NOT_FOUND");
    }

    // ------------------------------------------------------------------ filters and fields

    @Test
    void filtersByMetadataTypeStatusAndTimeAndShowsWhatTheRowsCarry() throws SQLException {
        rows.account("md-a", PARTNER_A, "USD");
        Instant t = NOW.minus(Duration.ofDays(3));
        rows.transaction(
                Transaction.transfer(PARTNER_A, "md-1", "md-a", "md-z", 1000, t)
                        .withMetadata("{\"order\": \"o-1\", \"channel\": \"web\"}", "invoice, 7"));
        rows.transaction(
                Transaction.transfer(PARTNER_A, "md-2", "md-a", "md-z", 2000, t.plusSeconds(1))
                        .withMetadata("{\"order\": \"o-2\", \"channel\": \"web\"}", null));
        rows.transaction(
                new Transaction(
                        PARTNER_A,
                        "md-3",
                        "HOLD",
                        "HELD",
                        "md-a",
                        null,
                        300,
                        "USD",
                        t.plusSeconds(2),
                        t.plusSeconds(2),
                        "{\"order\": \"o-1\"}",
                        null,
                        300L,
                        t.plusSeconds(2)));

        assertThat(ids("accountId=md-a&metadata%5Border%5D=o-1")).containsExactly("md-3", "md-1");
        assertThat(ids("accountId=md-a&metadata%5Border%5D=o-1&metadata%5Bchannel%5D=web"))
                .containsExactly("md-1");
        assertThat(ids("accountId=md-a&type=HOLD")).containsExactly("md-3");
        assertThat(ids("accountId=md-a&status=COMPLETED")).containsExactly("md-2", "md-1");
        String from = URLEncoder.encode(t.plusSeconds(1).toString(), StandardCharsets.UTF_8);
        String to = URLEncoder.encode(t.plusSeconds(2).toString(), StandardCharsets.UTF_8);
        assertThat(ids("accountId=md-a&from=" + from + "&to=" + to))
                .as("[from, to)")
                .containsExactly("md-2");
        // The same instant written with an offset, its + encoded.
        String offset =
                t.plusSeconds(1)
                        .atOffset(java.time.ZoneOffset.ofHours(2))
                        .toString()
                        .replace("+", "%2B");
        assertThat(ids("accountId=md-a&from=" + offset + "&to=" + to)).containsExactly("md-2");

        JsonNode items =
                api.client.get("/api/v1/transactions?accountId=md-a", KEY_A).json().get("items");
        JsonNode hold = items.get(0);
        assertThat(hold.get("heldAmount").asText()).isEqualTo("3.00");
        assertThat(Instant.parse(hold.get("heldAt").asText())).isEqualTo(t.plusSeconds(2));
        JsonNode first = items.get(2);
        assertThat(first.get("amount").asText()).isEqualTo("10.00");
        assertThat(first.get("metadata").get("order").asText()).isEqualTo("o-1");
        assertThat(first.get("metadata").get("channel").asText()).isEqualTo("web");
        assertThat(first.get("externalReference").asText()).isEqualTo("invoice, 7");
        assertThat(first.has("heldAmount")).isFalse();
    }

    private static List<String> ids(String query) {
        Answer answer = api.client.get("/api/v1/transactions?" + query, KEY_A);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("transactionId").asText()));
        return ids;
    }

    // ------------------------------------------------------------------ CSV

    @Test
    void aStatementAsCsvHasItsDocumentedShape() throws SQLException {
        rows.account("csv-a", PARTNER_A, "JPY");
        Instant t = NOW.minus(Duration.ofDays(2));
        rows.entry(
                new Entry("csv-a", 1, "csv-1", PARTNER_A, "DEPOSIT", "CREDIT", 5000, 5000, "w", t));
        rows.entry(
                new Entry(
                        "csv-a",
                        2,
                        "csv-2",
                        PARTNER_A,
                        "TRANSFER",
                        "DEBIT",
                        1200,
                        3800,
                        "b",
                        t.plusSeconds(60)));
        rows.entry(
                new Entry(
                        "csv-a",
                        3,
                        "csv-3",
                        PARTNER_A,
                        "TRANSFER",
                        "DEBIT",
                        300,
                        3500,
                        "b",
                        t.plusSeconds(120)));
        String path =
                "/api/v1/accounts/csv-a/statement?from="
                        + t.plusSeconds(30)
                        + "&to="
                        + t.plusSeconds(3600);
        Answer csv =
                api.client.send(api.client.request(path, KEY_A).header("Accept", "text/csv").GET());
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).contains("text/csv; charset=utf-8; header=present");
        assertThat(csv.body()).endsWith("\r\n");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0])
                .isEqualTo(
                        "record,sequence,posted_at,transaction_id,type,direction,amount,"
                                + "balance_after,counterparty_account_id,reversal,external_reference");
        assertThat(lines).hasSize(1 + 1 + 2 + 3);
        for (String line : lines) {
            assertThat(line.split(",", -1)).as(line).hasSize(11);
        }
        assertThat(lines[1]).isEqualTo("OPENING,," + t.plusSeconds(30) + ",,,,,5000,,,");
        assertThat(lines[2])
                .isEqualTo(
                        "ENTRY,2,"
                                + t.plusSeconds(60)
                                + ",csv-2,TRANSFER,DEBIT,1200,3800,b,false,");
        assertThat(lines[3]).startsWith("ENTRY,3,");
        assertThat(lines[4]).isEqualTo("TOTAL_CREDITS,0,,,,CREDIT,0,,,,");
        assertThat(lines[5]).isEqualTo("TOTAL_DEBITS,2,,,,DEBIT,1500,,,,");
        assertThat(lines[6]).isEqualTo("CLOSING,," + t.plusSeconds(3600) + ",,,,,3500,,,");

        JsonNode json = api.client.get(path, KEY_A).json();
        assertThat(json.get("openingBalance").asText()).isEqualTo("5000");
        assertThat(json.get("closingBalance").asText()).isEqualTo("3500");
        assertThat(json.get("totalDebits").asText()).isEqualTo("1500");
        assertThat(json.get("entryCount").asInt()).isEqualTo(2);
    }
}
