package io.ledgerflow.ingest;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.Json;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.ledger.AcceptedAccounts;
import io.ledgerflow.ingest.ledger.AccountRecord;
import io.ledgerflow.ingest.ledger.AccountView;
import io.ledgerflow.ingest.ledger.LedgerRequestPublisher;
import io.ledgerflow.ingest.ledger.PublishException;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import io.ledgerflow.ingest.validation.AccountOpening;
import io.ledgerflow.ingest.validation.AccountOpeningParser;
import io.ledgerflow.ingest.validation.OverdraftLimitChange;
import io.ledgerflow.ingest.validation.OverdraftLimitChangeParser;
import io.ledgerflow.schemas.money.MinorUnits;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * Account commands: open ({@code POST /api/v1/accounts}), close ({@code DELETE}), freeze and
 * unfreeze, set the overdraft limit ({@code PUT .../overdraft-limit}), and reading an account.
 * Commands travel to the ledger job through {@code ledger.requests} like movements, keyed by
 * account id, so an account's OPEN is applied before the movements that follow it.
 *
 * <p>Command ids and idempotency: every accepted command gets a generated {@code commandId} (random
 * UUID) that the answer carries. OPEN is idempotent by account id: the same partner opening the
 * same id with the same attributes gets the first answer again (same commandId); different
 * attributes, or an id another partner holds, answer 409 ACCOUNT_ALREADY_EXISTS. FREEZE, UNFREEZE
 * and CLOSE are not deduplicated by the API: they are idempotent in effect (freezing a frozen
 * account changes nothing), and the ledger decides each (a CLOSE with a non-zero balance is
 * rejected there with BALANCE_NOT_ZERO). SET_OVERDRAFT_LIMIT sets an absolute value, so a repeat
 * changes nothing either; the ledger decides it in order with the account's movements and refuses a
 * limit below what the account already uses (OVERDRAFT_IN_USE, see the ledger's DISCUSSION.md).
 */
final class AccountEndpoints {

    static final String ACCOUNTS = "/api/v1/accounts";

    private final AccountOpeningParser parser;
    private final OverdraftLimitChangeParser overdraftParser;
    private final AcceptedAccounts accounts;
    private final AccountView view;
    private final LedgerRequestPublisher publisher;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Map<String, String> retryAfter;

    AccountEndpoints(
            AccountOpeningParser parser,
            OverdraftLimitChangeParser overdraftParser,
            AcceptedAccounts accounts,
            AccountView view,
            LedgerRequestPublisher publisher,
            IngestMetrics metrics,
            Clock clock,
            int retryAfterSeconds) {
        this.parser = parser;
        this.overdraftParser = overdraftParser;
        this.accounts = accounts;
        this.view = view;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.retryAfter = Map.of("Retry-After", Integer.toString(retryAfterSeconds));
    }

    void open(ApiExchange exchange) {
        AccountOpening opening = parser.parse(Json.parse(exchange.body()));
        String partnerId = exchange.partner().partnerId();
        AcceptedAccounts.Claim claim =
                accounts.claimOpen(partnerId, opening, UUID.randomUUID().toString());
        AcceptedAccounts.Entry entry = claim.entry();
        if (claim instanceof AcceptedAccounts.Taken) {
            exchange.problem(
                    Problem.field(
                            ErrorCode.ACCOUNT_ALREADY_EXISTS,
                            "accountId",
                            "this account id is already taken"
                                    + (entry.partnerId().equals(partnerId)
                                            ? " with different attributes"
                                            : "")));
            return;
        }
        if (claim instanceof AcceptedAccounts.Claimed) {
            Instant now = clock.instant();
            AccountCommand command =
                    AccountCommand.newBuilder()
                            .setCommandId(entry.openCommandId())
                            .setPartnerId(partnerId)
                            .setAccountId(opening.accountId())
                            .setType(AccountCommandType.OPEN)
                            .setCurrency(opening.currency())
                            .setAccountType(opening.type())
                            .setOverdraftLimitMinor(opening.overdraftLimitMinor())
                            .setEventTime(now)
                            .setReceivedTime(now)
                            .build();
            publisher
                    .publish(
                            new LedgerRequestPublisher.KeyedRequest(
                                    opening.accountId(), new LedgerRequest(command)))
                    .whenComplete(
                            (ok, error) -> {
                                if (error == null) {
                                    metrics.accepted("OPEN", 1);
                                    accounts.opened(entry);
                                } else {
                                    accounts.openFailed(entry, error);
                                }
                            });
        }
        // Claimed or repeated: answer as the (first) OPEN ends.
        entry.opened()
                .whenComplete(
                        (at, error) -> {
                            if (error == null) {
                                answerCommand(
                                        exchange,
                                        opening.accountId(),
                                        entry.openCommandId(),
                                        AccountCommandType.OPEN);
                            } else {
                                exchange.problem(unavailable(error), retryAfter);
                            }
                        });
    }

    void close(ApiExchange exchange) {
        command(exchange, AccountCommandType.CLOSE);
    }

    void freeze(ApiExchange exchange) {
        command(exchange, AccountCommandType.FREEZE);
    }

    void unfreeze(ApiExchange exchange) {
        command(exchange, AccountCommandType.UNFREEZE);
    }

    void setOverdraftLimit(ApiExchange exchange) {
        String accountId = TransactionEndpoints.pathId(exchange, "accountId");
        OverdraftLimitChange change = overdraftParser.parse(Json.parse(exchange.body()));
        command(
                exchange,
                accountId,
                AccountCommandType.SET_OVERDRAFT_LIMIT,
                command ->
                        command.setCurrency(change.currency())
                                .setOverdraftLimitMinor(change.overdraftLimitMinor()));
    }

    private void command(ApiExchange exchange, AccountCommandType type) {
        command(
                exchange,
                TransactionEndpoints.pathId(exchange, "accountId"),
                type,
                command -> command);
    }

    private void command(
            ApiExchange exchange,
            String accountId,
            AccountCommandType type,
            java.util.function.UnaryOperator<AccountCommand.Builder> details) {
        String partnerId = exchange.partner().partnerId();
        if (accounts.ownerOf(accountId).filter(o -> !o.equals(partnerId)).isPresent()) {
            exchange.problem(notFound());
            return;
        }
        String commandId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        AccountCommand command =
                details.apply(
                                AccountCommand.newBuilder()
                                        .setCommandId(commandId)
                                        .setPartnerId(partnerId)
                                        .setAccountId(accountId)
                                        .setType(type)
                                        .setEventTime(now)
                                        .setReceivedTime(now))
                        .build();
        publisher
                .publish(
                        new LedgerRequestPublisher.KeyedRequest(
                                accountId, new LedgerRequest(command)))
                .whenComplete(
                        (ok, error) -> {
                            if (error == null) {
                                metrics.accepted(type.name(), 1);
                                accounts.commandAccepted(accountId, type, commandId);
                                answerCommand(exchange, accountId, commandId, type);
                            } else {
                                exchange.problem(unavailable(error), retryAfter);
                            }
                        });
    }

    void get(ApiExchange exchange) {
        find(exchange, Optional.of(exchange.partner().partnerId()));
    }

    /** Admin: any partner's account. */
    void getAnyPartner(ApiExchange exchange) {
        find(exchange, Optional.empty());
    }

    private void find(ApiExchange exchange, Optional<String> partnerId) {
        view.find(TransactionEndpoints.pathId(exchange, "accountId"))
                .whenComplete(
                        (found, error) -> {
                            if (error != null) {
                                TransactionEndpoints.lookupFailed(exchange, error, retryAfter);
                                return;
                            }
                            Optional<AccountRecord> visible =
                                    found.filter(
                                            a ->
                                                    partnerId.isEmpty()
                                                            || partnerId
                                                                    .get()
                                                                    .equals(a.partnerId()));
                            if (visible.isEmpty()) {
                                exchange.problem(notFound());
                            } else {
                                exchange.json(200, accountBody(visible.get()));
                            }
                        });
    }

    private static void answerCommand(
            ApiExchange exchange, String accountId, String commandId, AccountCommandType type) {
        String url = ACCOUNTS + "/" + accountId;
        byte[] body =
                Json.write(
                        json -> {
                            json.writeStartObject();
                            json.writeStringField("accountId", accountId);
                            json.writeStringField("commandId", commandId);
                            json.writeStringField("command", type.name());
                            json.writeStringField("status", "ACCEPTED");
                            json.writeStringField("statusUrl", url);
                            json.writeEndObject();
                        });
        exchange.json(202, body, Map.of("Location", url));
    }

    private static byte[] accountBody(AccountRecord a) {
        return Json.write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("accountId", a.accountId());
                    json.writeStringField("partnerId", a.partnerId());
                    json.writeStringField("currency", a.currency());
                    json.writeStringField("type", a.type().name());
                    json.writeStringField(
                            "overdraftLimit",
                            MinorUnits.format(a.overdraftLimitMinor(), a.currency()));
                    json.writeStringField("requestedStatus", a.requestedStatus());
                    if (a.lastCommandId() != null) {
                        json.writeStringField("lastCommandId", a.lastCommandId());
                    }
                    json.writeStringField("updatedAt", String.valueOf(a.updatedAt()));
                    AccountRecord.LedgerState ledger = a.ledger();
                    if (ledger != null) {
                        // The ledger's decided state, as of its change count "version".
                        json.writeStringField("status", ledger.status());
                        json.writeStringField(
                                "balance", MinorUnits.format(ledger.balanceMinor(), a.currency()));
                        json.writeStringField(
                                "held", MinorUnits.format(ledger.heldMinor(), a.currency()));
                        json.writeStringField(
                                "available",
                                MinorUnits.format(ledger.availableMinor(), a.currency()));
                        json.writeNumberField("version", ledger.version());
                    }
                    json.writeEndObject();
                });
    }

    private static Problem notFound() {
        return Problem.of(ErrorCode.ACCOUNT_NOT_FOUND, "no account with this id for this partner");
    }

    private static Problem unavailable(Throwable error) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        return TransactionEndpoints.unavailable(
                cause instanceof PublishException p
                        ? p.unavailable()
                        : PublishException.Cause.KAFKA);
    }
}
