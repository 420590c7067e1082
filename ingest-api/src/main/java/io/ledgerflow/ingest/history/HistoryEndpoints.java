package io.ledgerflow.ingest.history;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Json;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.settlement.SettlementCsv;
import io.ledgerflow.ingest.settlement.SettlementJson;
import io.ledgerflow.ingest.validation.AccountOpeningParser;
import io.ledgerflow.readmodel.ReadModelConnections;
import io.ledgerflow.readmodel.history.AccountStatement;
import io.ledgerflow.readmodel.history.BalanceAt;
import io.ledgerflow.readmodel.history.EntryFilter;
import io.ledgerflow.readmodel.history.EntryPosition;
import io.ledgerflow.readmodel.history.HistoryAccount;
import io.ledgerflow.readmodel.history.HistoryEntry;
import io.ledgerflow.readmodel.history.HistoryTransaction;
import io.ledgerflow.readmodel.history.Page;
import io.ledgerflow.readmodel.history.PostgresHistory;
import io.ledgerflow.readmodel.history.TransactionFilter;
import io.ledgerflow.readmodel.history.TransactionPosition;
import io.ledgerflow.readmodel.settlement.PostgresSettlements;
import io.ledgerflow.schemas.money.MinorUnits;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The read side partners page through: {@code GET /api/v1/transactions} (history with filters),
 * {@code GET /api/v1/accounts/{accountId}/entries}, {@code .../balance?at=} and {@code
 * .../statement?from=&to=} (JSON, or CSV with {@code Accept: text/csv}), and their admin twins
 * under {@code /api/v1/admin/} that read any partner's data.
 *
 * <p>Partners stay apart: a partner's history only ever holds its own transactions, and another
 * partner's account answers 404 {@code ACCOUNT_NOT_FOUND} exactly like an unknown one (also as the
 * {@code accountId} filter of the history). Parameters are checked in a fixed order before the
 * database is asked anything: unknown or repeated parameters, then each value, the range, the
 * cursor (see {@link HistoryCursors}), and only then the account's owner.
 *
 * <p>Bounds: pages of 1 to 200 rows (default 50); a statement spans at most 366 days and holds at
 * most {@value #MAX_STATEMENT_ENTRIES} entries, beyond which it answers 422 {@code
 * STATEMENT_TOO_LARGE} pointing to the entries route, which pages through any range.
 */
public final class HistoryEndpoints {

    private static final Logger LOG = LogManager.getLogger(HistoryEndpoints.class);

    static final Duration MAX_STATEMENT_RANGE = Duration.ofDays(366);
    static final int MAX_STATEMENT_ENTRIES = 10_000;

    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BATCH_ID = Pattern.compile("stl-[0-9a-f]{32}");

    private final HistoryLookups lookups;
    private final HistoryCursors cursors;
    private final Clock clock;
    private final Map<String, String> retryAfter;

    /**
     * @param lookups the queries; null when this instance has no read model (every history route
     *     then answers 503 {@code READ_MODEL_UNAVAILABLE})
     * @param cursors signs and checks the pagination cursors
     */
    public HistoryEndpoints(
            HistoryLookups lookups, HistoryCursors cursors, Clock clock, int retryAfterSeconds) {
        this.lookups = lookups;
        this.cursors = cursors;
        this.clock = clock;
        this.retryAfter = Map.of("Retry-After", Integer.toString(retryAfterSeconds));
    }

    /** History routes over a read model of its own connections (as many as {@code poolSize}). */
    public static HistoryEndpoints overReadModel(
            String jdbcUrl,
            String user,
            String password,
            int poolSize,
            int maxQueued,
            byte[] cursorKey,
            Clock clock,
            int retryAfterSeconds) {
        ReadModelConnections connections =
                new ReadModelConnections(
                        jdbcUrl,
                        user,
                        password,
                        poolSize,
                        Duration.ofSeconds(2),
                        "ledgerflow-history");
        return new HistoryEndpoints(
                new HistoryLookups(connections, poolSize, maxQueued),
                new HistoryCursors(cursorKey),
                clock,
                retryAfterSeconds);
    }

    /** The queries this object owns (null without a read model); closed with the server. */
    public AutoCloseable resources() {
        return lookups;
    }

    // ---------------------------------------------------------------- transaction history

    /** {@code GET /api/v1/transactions}: the key's own partner. */
    public void transactions(ApiExchange ex) {
        history(ex, ex.partner().partnerId());
    }

    /** {@code GET /api/v1/admin/partners/{partnerId}/transactions}: any partner's. */
    public void partnerTransactions(ApiExchange ex) {
        String partnerId = ex.pathParam("partnerId");
        if (!PARTNER_ID.matcher(partnerId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "partnerId",
                    "partnerId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        history(ex, partnerId);
    }

    private void history(ApiExchange ex, String partnerId) {
        HistoryQuery q =
                HistoryQuery.of(
                        ex.request().params(),
                        true,
                        "accountId",
                        "type",
                        "status",
                        "from",
                        "to",
                        "limit",
                        "cursor");
        int limit = q.limit();
        String accountId = q.accountId();
        String type = q.type();
        String status = q.status();
        Instant from = q.time("from");
        Instant to = q.time("to");
        Map<String, String> metadata = q.metadata();
        HistoryQuery.checkRange(from, to, null);
        List<String> bound = new ArrayList<>();
        bound.addAll(
                List.of(
                        "transactions",
                        ex.route().template(),
                        ex.partner().partnerId(),
                        partnerId,
                        String.valueOf(accountId),
                        String.valueOf(type),
                        String.valueOf(status),
                        String.valueOf(from),
                        String.valueOf(to)));
        metadata.forEach(
                (k, v) -> {
                    bound.add(k);
                    bound.add(v);
                });
        // The page size is not bound: a client may ask for bigger or smaller pages as it goes.
        byte[] binding = HistoryCursors.binding(bound.toArray(String[]::new));
        TransactionPosition after =
                q.cursor() == null ? null : cursors.parseTransactions(q.cursor(), binding);
        TransactionFilter filter =
                new TransactionFilter(
                        partnerId, accountId, type, status, from, to, metadata, limit, after);
        run(
                ex,
                history -> {
                    if (accountId != null) {
                        visibleAccount(history, accountId, Optional.of(partnerId), "accountId");
                    }
                    return history.transactions(filter);
                },
                page -> {
                    String next =
                            page.more()
                                    ? cursors.transactions(binding, page.last().position())
                                    : null;
                    ex.json(200, transactionsBody(page, next));
                });
    }

    // ---------------------------------------------------------------- reconciliation (issue 17)

    private static final Pattern STATEMENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /**
     * {@code GET /api/v1/admin/reconciliation/mismatches}: mismatches between the ledger and the
     * stores, {@code status} OPEN (default), CLEARED or ALL, oldest first, with their age.
     */
    public void reconciliationMismatches(ApiExchange ex) {
        // Unknown or repeated parameters are refused as on every history route.
        HistoryQuery.of(ex.request().params(), false, "status");
        String status = ex.request().params().get("status");
        if (status == null) {
            status = "OPEN";
        }
        if (!List.of("OPEN", "CLEARED", "ALL").contains(status)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_QUERY_PARAMETER,
                    "status",
                    "status must be OPEN, CLEARED or ALL");
        }
        String wanted = status.equals("ALL") ? null : status;
        run(
                ex,
                history -> history.reconciliation().mismatches(wanted),
                rows -> ex.json(200, itemsBody(rows)));
    }

    /**
     * {@code GET /api/v1/admin/reconciliation/statements/{statementId}}: an imported statement's
     * matches and exceptions ({@code result} MATCHED, UNMATCHED_STATEMENT_LINE,
     * UNMATCHED_LEDGER_MOVEMENT or EXCEPTIONS = both unmatched; default all), exceptions with their
     * age in days.
     */
    public void statementMatches(ApiExchange ex) {
        String statementId = ex.pathParam("statementId");
        if (!STATEMENT_ID.matcher(statementId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "statementId",
                    "statementId must be 1 to 128 characters of A-Z a-z 0-9 . _ -");
        }
        HistoryQuery.of(ex.request().params(), false, "result");
        String result = ex.request().params().get("result");
        List<String> results =
                List.of(
                        "MATCHED",
                        "UNMATCHED_STATEMENT_LINE",
                        "UNMATCHED_LEDGER_MOVEMENT",
                        "EXCEPTIONS");
        if (result != null && !results.contains(result)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_QUERY_PARAMETER,
                    "result",
                    "result must be one of " + String.join(", ", results));
        }
        run(
                ex,
                history -> history.reconciliation().statementMatches(statementId, null),
                rows ->
                        ex.json(
                                200,
                                itemsBody(
                                        rows.stream()
                                                .filter(
                                                        r ->
                                                                result == null
                                                                        || r.get("result")
                                                                                .equals(result)
                                                                        || (result.equals(
                                                                                        "EXCEPTIONS")
                                                                                && !r.get("result")
                                                                                        .equals(
                                                                                                "MATCHED")))
                                                .toList())));
    }

    private static byte[] itemsBody(List<Map<String, Object>> rows) {
        com.fasterxml.jackson.databind.node.ObjectNode json =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode items = json.putArray("items");
        for (Map<String, Object> row : rows) {
            com.fasterxml.jackson.databind.node.ObjectNode item = items.addObject();
            row.forEach(
                    (k, v) -> {
                        if (v == null) {
                            item.putNull(k);
                        } else if (v instanceof Number n) {
                            item.put(k, n.longValue());
                        } else {
                            item.put(k, v.toString());
                        }
                    });
        }
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- an account's entries

    /** {@code GET /api/v1/accounts/{accountId}/entries}. */
    public void entries(ApiExchange ex) {
        entries(ex, Optional.of(ex.partner().partnerId()));
    }

    /** {@code GET /api/v1/admin/accounts/{accountId}/entries}. */
    public void anyEntries(ApiExchange ex) {
        entries(ex, Optional.empty());
    }

    private void entries(ApiExchange ex, Optional<String> viewer) {
        String accountId = accountId(ex);
        HistoryQuery q =
                HistoryQuery.of(ex.request().params(), false, "from", "to", "limit", "cursor");
        int limit = q.limit();
        Instant from = q.time("from");
        Instant to = q.time("to");
        HistoryQuery.checkRange(from, to, null);
        byte[] binding =
                HistoryCursors.binding(
                        "entries",
                        ex.route().template(),
                        ex.partner().partnerId(),
                        accountId,
                        String.valueOf(from),
                        String.valueOf(to));
        EntryPosition after = q.cursor() == null ? null : cursors.parseEntries(q.cursor(), binding);
        run(
                ex,
                history -> {
                    HistoryAccount account = visibleAccount(history, accountId, viewer, null);
                    return new AccountPage(
                            account,
                            history.entries(new EntryFilter(accountId, from, to, limit, after)));
                },
                result -> {
                    Page<HistoryEntry> page = result.page();
                    String next =
                            page.more() ? cursors.entries(binding, page.last().position()) : null;
                    ex.json(200, entriesBody(result.account(), page, next));
                });
    }

    private record AccountPage(HistoryAccount account, Page<HistoryEntry> page) {}

    // ---------------------------------------------------------------- balance at a time

    /** {@code GET /api/v1/accounts/{accountId}/balance?at=}. */
    public void balance(ApiExchange ex) {
        balance(ex, Optional.of(ex.partner().partnerId()));
    }

    /** {@code GET /api/v1/admin/accounts/{accountId}/balance?at=}. */
    public void anyBalance(ApiExchange ex) {
        balance(ex, Optional.empty());
    }

    private void balance(ApiExchange ex, Optional<String> viewer) {
        String accountId = accountId(ex);
        HistoryQuery q = HistoryQuery.of(ex.request().params(), false, "at");
        Instant given = q.time("at");
        // Without "at": now, to the microsecond like every stored time.
        Instant at = given != null ? given : clock.instant().truncatedTo(ChronoUnit.MICROS);
        run(
                ex,
                history -> {
                    HistoryAccount account = visibleAccount(history, accountId, viewer, null);
                    return new AccountBalance(account, history.balanceAt(account, at));
                },
                result -> ex.json(200, balanceBody(result)));
    }

    // ---------------------------------------------------------------- statement

    /** {@code GET /api/v1/accounts/{accountId}/statement?from=&to=}. */
    public void statement(ApiExchange ex) {
        statement(ex, Optional.of(ex.partner().partnerId()));
    }

    /** {@code GET /api/v1/admin/accounts/{accountId}/statement?from=&to=}. */
    public void anyStatement(ApiExchange ex) {
        statement(ex, Optional.empty());
    }

    private void statement(ApiExchange ex, Optional<String> viewer) {
        String accountId = accountId(ex);
        HistoryQuery q = HistoryQuery.of(ex.request().params(), false, "from", "to");
        Instant from = q.requiredTime("from");
        Instant to = q.requiredTime("to");
        HistoryQuery.checkRange(from, to, MAX_STATEMENT_RANGE);
        boolean csv = wantsCsv(ex.request().getHeader("Accept"));
        run(
                ex,
                history ->
                        history.statement(
                                visibleAccount(history, accountId, viewer, null),
                                from,
                                to,
                                MAX_STATEMENT_ENTRIES),
                statement -> {
                    if (csv) {
                        ex.respond(
                                200,
                                StatementCsv.CONTENT_TYPE,
                                StatementCsv.render(statement),
                                null);
                    } else {
                        ex.json(200, statementBody(statement));
                    }
                });
    }

    /**
     * JSON unless the client prefers CSV: {@code text/csv} anywhere in Accept (with a non-zero q)
     * means CSV; no Accept, {@code application/json}, {@code application/*} or {@code *}{@code /*}
     * mean JSON; anything else is 406.
     */
    static boolean wantsCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        boolean json = false;
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().replace(" ", "");
                if (p.equals("q=0") || p.matches("q=0\\.0{0,3}")) {
                    refused = true;
                }
            }
            if (refused) {
                continue;
            }
            if (type.equals("text/csv")) {
                return true;
            }
            if (type.equals("application/json")
                    || type.equals("application/*")
                    || type.equals("*/*")
                    || type.equals("application/problem+json")) {
                json = true;
            }
        }
        if (!json) {
            throw new InvalidRequestException(
                    Problem.of(
                            ErrorCode.NOT_ACCEPTABLE,
                            "a statement is available as application/json or text/csv"));
        }
        return false;
    }

    // ---------------------------------------------------------------- settlement batches

    /** {@code GET /api/v1/settlements?limit=}: the key's own partner's batches, newest first. */
    public void settlements(ApiExchange ex) {
        settlements(ex, ex.partner().partnerId());
    }

    /** {@code GET /api/v1/admin/partners/{partnerId}/settlements}: any partner's. */
    public void partnerSettlements(ApiExchange ex) {
        settlements(ex, partnerIdParam(ex));
    }

    private void settlements(ApiExchange ex, String partnerId) {
        HistoryQuery q = HistoryQuery.of(ex.request().params(), false, "limit");
        int limit = q.limit();
        run(
                ex,
                history -> history.settlementBatches(partnerId, limit),
                batches -> {
                    com.fasterxml.jackson.databind.node.ObjectNode json =
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                    .objectNode();
                    com.fasterxml.jackson.databind.node.ArrayNode items = json.putArray("items");
                    for (PostgresSettlements.StoredBatch b : batches) {
                        items.add(SettlementJson.batch(b.batch(), b.storedHash(), false));
                    }
                    ex.json(200, SettlementJson.bytes(json));
                });
    }

    /** {@code GET /api/v1/settlements/{batchId}}: JSON, or CSV with {@code Accept: text/csv}. */
    public void settlement(ApiExchange ex) {
        settlement(ex, ex.partner().partnerId());
    }

    /** {@code GET /api/v1/admin/partners/{partnerId}/settlements/{batchId}}. */
    public void partnerSettlement(ApiExchange ex) {
        settlement(ex, partnerIdParam(ex));
    }

    private void settlement(ApiExchange ex, String partnerId) {
        String batchId = ex.pathParam("batchId");
        if (!BATCH_ID.matcher(batchId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID, "batchId", "batchId must be stl- and 32 hex digits");
        }
        HistoryQuery.of(ex.request().params(), false);
        boolean csv = wantsCsv(ex.request().getHeader("Accept"));
        run(
                ex,
                history ->
                        history.settlementBatch(partnerId, batchId)
                                .orElseThrow(
                                        () ->
                                                new InvalidRequestException(
                                                        Problem.of(
                                                                ErrorCode
                                                                        .SETTLEMENT_BATCH_NOT_FOUND,
                                                                "no settlement batch with this id"
                                                                        + " for this partner"))),
                b -> {
                    if (csv) {
                        ex.respond(
                                200,
                                SettlementCsv.CONTENT_TYPE,
                                SettlementCsv.render(b.batch(), b.storedHash()),
                                null);
                    } else {
                        ex.json(
                                200,
                                SettlementJson.bytes(
                                        SettlementJson.batch(b.batch(), b.storedHash(), true)));
                    }
                });
    }

    private static String partnerIdParam(ApiExchange ex) {
        String partnerId = ex.pathParam("partnerId");
        if (!PARTNER_ID.matcher(partnerId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "partnerId",
                    "partnerId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        return partnerId;
    }

    // ---------------------------------------------------------------- plumbing

    private static String accountId(ApiExchange ex) {
        String id = ex.pathParam("accountId");
        if (!AccountOpeningParser.isValidId(id)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "accountId",
                    "accountId must be 1 to 64 characters from A-Z, a-z, 0-9 and . _ : -");
        }
        return id;
    }

    /**
     * The account if {@code viewer} may see it (any account when empty: the admin routes);
     * otherwise 404, the same answer as for an account that does not exist.
     */
    private static HistoryAccount visibleAccount(
            PostgresHistory history, String accountId, Optional<String> viewer, String field) {
        return history.account(accountId)
                .filter(a -> viewer.isEmpty() || viewer.get().equals(a.partnerId()))
                .orElseThrow(
                        () ->
                                new InvalidRequestException(
                                        Problem.field(
                                                ErrorCode.ACCOUNT_NOT_FOUND,
                                                field,
                                                "no account with this id for this partner")));
    }

    /** The account and its balance at a time. */
    private record AccountBalance(HistoryAccount account, BalanceAt balance) {}

    /** Runs {@code query} on a history thread and answers with {@code answer}, or a problem. */
    private <T> void run(ApiExchange ex, Function<PostgresHistory, T> query, Consumer<T> answer) {
        if (lookups == null) {
            ex.problem(
                    Problem.of(
                            ErrorCode.READ_MODEL_UNAVAILABLE,
                            "this instance has no read model (LEDGERFLOW_READ_MODEL_JDBC_URL"
                                    + " unset), so it has no history to answer from"),
                    retryAfter);
            return;
        }
        lookups.submit(query)
                .whenComplete(
                        (result, error) -> {
                            if (error == null) {
                                try {
                                    answer.accept(result);
                                } catch (RuntimeException e) {
                                    failed(ex, e);
                                }
                            } else {
                                failed(ex, error);
                            }
                        });
    }

    private void failed(ApiExchange ex, Throwable error) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof InvalidRequestException invalid) {
            ex.problem(invalid.problem());
        } else if (cause instanceof PostgresHistory.StatementTooLargeException tooLarge) {
            ex.problem(
                    Problem.of(
                            ErrorCode.STATEMENT_TOO_LARGE,
                            "more than "
                                    + tooLarge.maxEntries()
                                    + " entries fall in this range: ask for a shorter range, or"
                                    + " page through GET /api/v1/accounts/{accountId}/entries"
                                    + " with the same from and to"));
        } else if (cause instanceof ReadModelConnections.ReadModelUnavailableException
                || cause instanceof HistoryLookups.QueueFullException) {
            LOG.warn("request {}: history query failed: {}", ex.requestId(), cause.toString());
            ex.problem(
                    Problem.of(
                            ErrorCode.READ_MODEL_UNAVAILABLE,
                            "the read model did not answer in time; retry later"),
                    retryAfter);
        } else {
            LOG.error("request {}: history query failed", ex.requestId(), cause);
            ex.problem(Problem.of(ErrorCode.INTERNAL_ERROR, "history query failed"));
        }
    }

    // ---------------------------------------------------------------- answers

    private static byte[] transactionsBody(Page<HistoryTransaction> page, String next) {
        return Json.write(
                json -> {
                    json.writeStartObject();
                    json.writeArrayFieldStart("items");
                    for (HistoryTransaction t : page.items()) {
                        writeTransaction(json, t);
                    }
                    json.writeEndArray();
                    json.writeStringField("nextCursor", next);
                    json.writeEndObject();
                });
    }

    private static void writeTransaction(JsonGenerator json, HistoryTransaction t)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("transactionId", t.transactionId());
        json.writeStringField("partnerId", t.partnerId());
        json.writeStringField("type", t.type());
        json.writeStringField("status", t.status());
        if (t.reason() != null) {
            json.writeStringField("reason", t.reason());
        }
        if (t.reasonDetail() != null) {
            json.writeStringField("reasonDetail", t.reasonDetail());
        }
        optional(json, "sourceAccountId", t.sourceAccountId());
        optional(json, "destinationAccountId", t.destinationAccountId());
        optional(json, "relatedTransactionId", t.relatedTransactionId());
        json.writeStringField("amount", MinorUnits.format(t.amountMinor(), t.currency()));
        json.writeStringField("currency", t.currency());
        json.writeStringField("eventTime", t.eventTime().toString());
        json.writeStringField("acceptedAt", t.receivedTime().toString());
        json.writeStringField("decidedAt", t.decidedTime().toString());
        if (t.heldAmountMinor() != null) {
            json.writeStringField(
                    "heldAmount", MinorUnits.format(t.heldAmountMinor(), t.currency()));
            json.writeStringField("heldAt", t.heldTime().toString());
        }
        optional(json, "externalReference", t.externalReference());
        json.writeFieldName("metadata");
        // PostgreSQL's rendering of a jsonb object: valid JSON by construction.
        json.writeRawValue(t.metadataJson());
        json.writeEndObject();
    }

    private static byte[] entriesBody(
            HistoryAccount account, Page<HistoryEntry> page, String next) {
        return Json.write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("accountId", account.accountId());
                    json.writeStringField("currency", account.currency());
                    json.writeArrayFieldStart("items");
                    for (HistoryEntry e : page.items()) {
                        writeEntry(json, e);
                    }
                    json.writeEndArray();
                    json.writeStringField("nextCursor", next);
                    json.writeEndObject();
                });
    }

    private static void writeEntry(JsonGenerator json, HistoryEntry e) throws IOException {
        json.writeStartObject();
        json.writeNumberField("sequence", e.sequence());
        json.writeStringField("transactionId", e.transactionId());
        json.writeStringField("type", e.movementType());
        json.writeStringField("direction", e.direction());
        json.writeStringField(
                "amount", StatementCsv.money(BigInteger.valueOf(e.amountMinor()), e.currency()));
        json.writeStringField(
                "balanceAfter", StatementCsv.money(e.balanceAfterMinor(), e.currency()));
        json.writeStringField("counterpartyAccountId", e.counterpartyAccountId());
        json.writeBooleanField("reversal", e.reversal());
        json.writeStringField("eventTime", e.eventTime().toString());
        json.writeStringField("postedAt", e.postedTime().toString());
        optional(json, "externalReference", e.externalReference());
        json.writeFieldName("metadata");
        json.writeRawValue(e.metadataJson());
        json.writeEndObject();
    }

    private static byte[] balanceBody(AccountBalance result) {
        String currency = result.account().currency();
        BalanceAt b = result.balance();
        return Json.write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("accountId", result.account().accountId());
                    json.writeStringField("currency", currency);
                    json.writeStringField("at", b.at().toString());
                    json.writeStringField(
                            "balance", StatementCsv.money(b.balanceMinor(), currency));
                    json.writeStringField(
                            "held",
                            StatementCsv.money(BigInteger.valueOf(b.heldMinor()), currency));
                    json.writeStringField(
                            "available", StatementCsv.money(b.availableMinor(), currency));
                    // The last entry counted; 0 when the account had none yet.
                    json.writeNumberField("lastSequence", b.lastSequence());
                    json.writeEndObject();
                });
    }

    private static byte[] statementBody(AccountStatement s) {
        String currency = s.account().currency();
        return Json.write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("accountId", s.account().accountId());
                    json.writeStringField("currency", currency);
                    json.writeStringField("from", s.from().toString());
                    json.writeStringField("to", s.to().toString());
                    json.writeStringField(
                            "openingBalance",
                            StatementCsv.money(s.openingBalanceMinor(), currency));
                    json.writeStringField(
                            "closingBalance",
                            StatementCsv.money(s.closingBalanceMinor(), currency));
                    json.writeStringField(
                            "totalCredits", StatementCsv.money(s.creditsMinor(), currency));
                    json.writeStringField(
                            "totalDebits", StatementCsv.money(s.debitsMinor(), currency));
                    json.writeNumberField("entryCount", s.entries().size());
                    json.writeArrayFieldStart("entries");
                    for (HistoryEntry e : s.entries()) {
                        writeEntry(json, e);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
    }

    private static void optional(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
