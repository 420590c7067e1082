package io.ledgerflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Json;
import io.ledgerflow.ingest.http.PreferWait;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.ledger.AcceptedAccounts;
import io.ledgerflow.ingest.ledger.LedgerDecisions;
import io.ledgerflow.ingest.ledger.LedgerSubmissions;
import io.ledgerflow.ingest.ledger.PublishException;
import io.ledgerflow.ingest.ledger.ReadModelLookups;
import io.ledgerflow.ingest.ledger.SubmissionOutcome;
import io.ledgerflow.ingest.ledger.TransactionStatusRecord;
import io.ledgerflow.ingest.ledger.TransactionStatusView;
import io.ledgerflow.ingest.limits.PartnerThrottle;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import io.ledgerflow.ingest.validation.AccountOpeningParser;
import io.ledgerflow.ingest.validation.MovementParser;
import io.ledgerflow.ingest.validation.MovementSubmission;
import io.ledgerflow.schemas.money.MinorUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code POST /api/v1/transactions}, {@code POST /api/v1/transactions:batch} and {@code GET
 * /api/v1/transactions/{transactionId}} (plus its admin twin).
 *
 * <p>A batch is {@code {"items": [movement, ...]}} with 1 to {@code maxBatchItems} items. Each item
 * is validated, deduplicated and written on its own; the answer is 200 with one result per item in
 * order ({@code status} 202, 400, 404, 409 or 503 and either a {@code statusUrl} or a {@code
 * problem}), sent once every valid item was acknowledged or failed. Only when every item failed
 * because Kafka was unavailable is the whole answer a 503, so clients retry the batch as a whole.
 *
 * <p>Movements count against the partner's movement limit once the body is parsed, a batch with all
 * its items: over the limit, the whole request is refused with 429 and nothing is written ({@link
 * PartnerThrottle}).
 */
final class TransactionEndpoints {

    private static final Logger LOG = LogManager.getLogger(TransactionEndpoints.class);

    static final String TRANSACTIONS = "/api/v1/transactions";

    private final MovementParser parser;
    private final LedgerSubmissions submissions;
    private final TransactionStatusView statusView;
    private final AcceptedAccounts accounts;
    private final IngestMetrics metrics;
    private final int maxBatchItems;
    private final Map<String, String> retryAfter;
    private final PartnerThrottle throttle;

    /**
     * Where decisions are awaited for {@code Prefer: wait}; null when the API offers no waiting.
     */
    private volatile LedgerDecisions decisions;

    TransactionEndpoints(
            MovementParser parser,
            LedgerSubmissions submissions,
            TransactionStatusView statusView,
            AcceptedAccounts accounts,
            IngestMetrics metrics,
            int maxBatchItems,
            int retryAfterSeconds,
            PartnerThrottle throttle) {
        this.throttle = throttle;
        this.parser = parser;
        this.submissions = submissions;
        this.statusView = statusView;
        this.accounts = accounts;
        this.metrics = metrics;
        this.maxBatchItems = maxBatchItems;
        this.retryAfter = Map.of("Retry-After", Integer.toString(retryAfterSeconds));
    }

    /**
     * From now on, a request with {@code Prefer: wait=N} waits up to N seconds (at most {@link
     * PreferWait#MAX}) for the ledger's decision, read by {@code decisions}.
     */
    void waitForDecisionsFrom(LedgerDecisions decisions) {
        this.decisions = decisions;
    }

    void submit(ApiExchange exchange) {
        MovementSubmission submission = parser.parse(Json.parse(exchange.body()));
        if (!throttle.admitMovements(exchange, 1)) {
            return;
        }
        String partnerId = exchange.partner().partnerId();
        checkOwnAccounts(partnerId, submission);
        LedgerDecisions waitingFor = decisions;
        Duration wait =
                waitingFor == null
                        ? null
                        : PreferWait.of(exchange.request().headers().getAll("Prefer"));
        // Registered before the request is produced, so its decision cannot pass unseen.
        CompletableFuture<Optional<TransactionResult>> decision =
                wait == null ? null : waitingFor.await(partnerId, submission.transactionId(), wait);
        submissions
                .submit(partnerId, submission)
                .whenComplete(
                        (outcome, error) -> {
                            if (error != null) {
                                LOG.error(
                                        "request {}: submission failed",
                                        exchange.requestId(),
                                        error);
                                exchange.problem(
                                        Problem.of(ErrorCode.INTERNAL_ERROR, "submission failed"));
                            } else if (decision != null
                                    && outcome instanceof SubmissionOutcome.Accepted) {
                                decision.whenComplete(
                                        (decided, e) ->
                                                answerWaited(
                                                        exchange,
                                                        outcome,
                                                        submission,
                                                        wait,
                                                        decided == null
                                                                ? Optional.empty()
                                                                : decided));
                                return;
                            } else {
                                answer(exchange, outcome, submission);
                            }
                            if (decision != null) {
                                decision.complete(Optional.empty());
                            }
                        });
    }

    /**
     * RFC 7240: 200 with the decision when the ledger decided within the wait ({@code
     * Preference-Applied: wait=N}), else 202 as without the preference ({@code Preference-Applied:
     * respond-async}: the answer is the asynchronous one).
     */
    private void answerWaited(
            ApiExchange exchange,
            SubmissionOutcome outcome,
            MovementSubmission submission,
            Duration wait,
            Optional<TransactionResult> decided) {
        metrics.accepted(submission.type().name(), 1);
        metrics.partners().movementsAccepted(exchange.partner().partnerId(), 1);
        if (decided.isEmpty()) {
            exchange.json(
                    202,
                    acceptedBody(outcome.transactionId()),
                    Map.of(
                            "Location",
                            statusUrl(outcome.transactionId()),
                            "Preference-Applied",
                            "respond-async"));
            return;
        }
        TransactionResult r = decided.get();
        exchange.json(
                200,
                statusBody(
                        new TransactionStatusRecord(
                                r.getTransactionId(),
                                r.getPartnerId(),
                                r.getType(),
                                r.getStatus().name(),
                                r.getReason() == null ? null : r.getReason().name(),
                                r.getReasonDetail(),
                                r.getAmountMinor(),
                                r.getCurrency(),
                                r.getReceivedTime(),
                                r.getDecisionTime(),
                                r.getMetadata(),
                                r.getExternalReference())),
                Map.of(
                        "Preference-Applied",
                        "wait=" + wait.toSeconds(),
                        "Location",
                        statusUrl(r.getTransactionId())));
    }

    private void answer(
            ApiExchange exchange, SubmissionOutcome outcome, MovementSubmission submission) {
        if (outcome instanceof SubmissionOutcome.Accepted) {
            metrics.accepted(submission.type().name(), 1);
            metrics.partners().movementsAccepted(exchange.partner().partnerId(), 1);
            String url = statusUrl(outcome.transactionId());
            exchange.json(202, acceptedBody(outcome.transactionId()), Map.of("Location", url));
        } else if (outcome instanceof SubmissionOutcome.Conflict) {
            exchange.problem(conflict());
        } else {
            SubmissionOutcome.Unavailable u = (SubmissionOutcome.Unavailable) outcome;
            exchange.problem(unavailable(u.cause()), retryAfter);
        }
    }

    void submitBatch(ApiExchange exchange) {
        JsonNode body = Json.parse(exchange.body());
        if (!body.isObject()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY, null, "a batch must be {\"items\": [...]}");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("items")) {
                throw new InvalidRequestException(
                        ErrorCode.UNKNOWN_FIELD, name, "a batch has only the field items");
            }
        }
        JsonNode items = body.get("items");
        if (items == null || items.isNull()) {
            throw new InvalidRequestException(
                    ErrorCode.MISSING_FIELD, "items", "items is required");
        }
        if (!items.isArray()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE, "items", "items must be an array");
        }
        if (items.isEmpty()) {
            throw new InvalidRequestException(
                    ErrorCode.BATCH_EMPTY, "items", "a batch needs at least one item");
        }
        if (items.size() > maxBatchItems) {
            throw new InvalidRequestException(
                    ErrorCode.BATCH_TOO_LARGE,
                    "items",
                    "a batch holds at most " + maxBatchItems + " items, got " + items.size());
        }
        // Every item counts, valid or not: each costs parsing and validation. Before them, so that
        // a partner over its limit costs no more than this.
        if (!throttle.admitMovements(exchange, items.size())) {
            return;
        }
        String partnerId = exchange.partner().partnerId();
        int n = items.size();
        Object[] results = new Object[n]; // Problem or CompletableFuture<SubmissionOutcome>
        List<MovementSubmission> valid = new ArrayList<>(n);
        List<Integer> validIndex = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                MovementSubmission submission = parser.parse(items.get(i));
                checkOwnAccounts(partnerId, submission);
                valid.add(submission);
                validIndex.add(i);
            } catch (InvalidRequestException e) {
                results[i] = e.problem().withFieldPrefix("items[" + i + "].");
            }
        }
        List<CompletableFuture<SubmissionOutcome>> outcomes =
                valid.isEmpty() ? List.of() : submissions.submitAll(partnerId, valid);
        for (int k = 0; k < outcomes.size(); k++) {
            results[validIndex.get(k)] = outcomes.get(k);
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .whenComplete(
                        (ok, error) -> answerBatch(exchange, items, results, valid, validIndex));
    }

    @SuppressWarnings("unchecked")
    private void answerBatch(
            ApiExchange exchange,
            JsonNode items,
            Object[] results,
            List<MovementSubmission> valid,
            List<Integer> validIndex) {
        int accepted = 0;
        int unavailable = 0;
        PublishException.Cause cause = PublishException.Cause.KAFKA;
        SubmissionOutcome[] outcomes = new SubmissionOutcome[results.length];
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof CompletableFuture<?> f) {
                SubmissionOutcome outcome = ((CompletableFuture<SubmissionOutcome>) f).join();
                outcomes[i] = outcome;
                if (outcome instanceof SubmissionOutcome.Accepted) {
                    accepted++;
                } else if (outcome instanceof SubmissionOutcome.Unavailable u) {
                    unavailable++;
                    cause = u.cause();
                }
            }
        }
        if (unavailable == results.length) {
            exchange.problem(unavailable(cause), retryAfter);
            return;
        }
        for (int k = 0; k < valid.size(); k++) {
            if (outcomes[validIndex.get(k)] instanceof SubmissionOutcome.Accepted) {
                metrics.accepted(valid.get(k).type().name(), 1);
            }
        }
        if (accepted > 0) {
            metrics.partners().movementsAccepted(exchange.partner().partnerId(), accepted);
        }
        int acceptedCount = accepted;
        byte[] body =
                Json.write(
                        json -> {
                            json.writeStartObject();
                            json.writeNumberField("accepted", acceptedCount);
                            json.writeNumberField("rejected", results.length - acceptedCount);
                            json.writeArrayFieldStart("items");
                            for (int i = 0; i < results.length; i++) {
                                json.writeStartObject();
                                json.writeNumberField("index", i);
                                JsonNode id = items.get(i).get("transactionId");
                                if (id != null && id.isTextual()) {
                                    json.writeStringField("transactionId", id.textValue());
                                }
                                Problem problem;
                                if (results[i] instanceof Problem p) {
                                    problem = p;
                                } else if (outcomes[i] instanceof SubmissionOutcome.Accepted a) {
                                    json.writeNumberField("status", 202);
                                    json.writeStringField("result", "ACCEPTED");
                                    json.writeStringField(
                                            "statusUrl", statusUrl(a.transactionId()));
                                    json.writeEndObject();
                                    continue;
                                } else if (outcomes[i] instanceof SubmissionOutcome.Conflict) {
                                    problem = conflict();
                                } else {
                                    problem =
                                            unavailable(
                                                    ((SubmissionOutcome.Unavailable) outcomes[i])
                                                            .cause());
                                }
                                json.writeNumberField("status", problem.status());
                                json.writeStringField("result", "REJECTED");
                                json.writeObjectFieldStart("problem");
                                problem.writeMembers(json);
                                json.writeEndObject();
                                json.writeEndObject();
                            }
                            json.writeEndArray();
                            json.writeEndObject();
                        });
        exchange.json(200, body);
    }

    void status(ApiExchange exchange) {
        find(exchange, exchange.partner().partnerId(), pathId(exchange, "transactionId"));
    }

    /** Admin: any partner's transaction. */
    void statusForPartner(ApiExchange exchange) {
        find(exchange, pathId(exchange, "partnerId"), pathId(exchange, "transactionId"));
    }

    /**
     * An id from the path. A malformed one is the client's mistake (400 {@code INVALID_ID}), not an
     * id that names nothing (404): ids only ever have the shape the API accepts on the way in.
     */
    static String pathId(ApiExchange exchange, String name) {
        String id = exchange.pathParam(name);
        if (!AccountOpeningParser.isValidId(id)) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    name,
                    name + " must be 1 to 64 characters from A-Z, a-z, 0-9 and . _ : -");
        }
        return id;
    }

    private void find(ApiExchange exchange, String partnerId, String transactionId) {
        statusView
                .find(partnerId, transactionId)
                .whenComplete(
                        (found, error) -> {
                            if (error != null) {
                                lookupFailed(exchange, error, retryAfter);
                            } else if (found.isEmpty()) {
                                exchange.problem(
                                        Problem.of(
                                                ErrorCode.TRANSACTION_NOT_FOUND,
                                                "no transaction with this id for this partner"));
                            } else {
                                exchange.json(200, statusBody(found.get()));
                            }
                        });
    }

    /**
     * A movement may touch only the partner's own accounts. Accounts this instance knows to belong
     * to another partner answer 404, as if they did not exist; unknown accounts pass, and the
     * ledger job (which knows every account) refuses them with ACCOUNT_NOT_FOUND, the same answer
     * as for an account that does not exist (the reason code PARTNER_MISMATCH is never used).
     */
    private void checkOwnAccounts(String partnerId, MovementSubmission s) {
        checkOwn(partnerId, s.sourceAccountId(), "sourceAccountId");
        checkOwn(partnerId, s.destinationAccountId(), "destinationAccountId");
    }

    private void checkOwn(String partnerId, String accountId, String field) {
        if (accountId == null) {
            return;
        }
        accounts.ownerOf(accountId)
                .filter(owner -> !owner.equals(partnerId))
                .ifPresent(
                        other -> {
                            throw new InvalidRequestException(
                                    ErrorCode.ACCOUNT_NOT_FOUND, field, "no such account");
                        });
    }

    static String statusUrl(String transactionId) {
        return TRANSACTIONS + "/" + transactionId;
    }

    private static byte[] acceptedBody(String transactionId) {
        return Json.write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("transactionId", transactionId);
                    json.writeStringField("status", TransactionStatusRecord.ACCEPTED);
                    json.writeStringField("statusUrl", statusUrl(transactionId));
                    json.writeEndObject();
                });
    }

    private static byte[] statusBody(TransactionStatusRecord r) {
        return Json.write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("transactionId", r.transactionId());
                    json.writeStringField("partnerId", r.partnerId());
                    json.writeStringField("type", r.type().name());
                    json.writeStringField("status", r.status());
                    if (r.reason() != null) {
                        json.writeStringField("reason", r.reason());
                    }
                    if (r.reasonDetail() != null) {
                        json.writeStringField("reasonDetail", r.reasonDetail());
                    }
                    json.writeStringField(
                            "amount", MinorUnits.format(r.amountMinor(), r.currency()));
                    json.writeStringField("currency", r.currency());
                    json.writeStringField("acceptedAt", r.acceptedAt().toString());
                    if (r.decidedAt() != null) {
                        json.writeStringField("decidedAt", r.decidedAt().toString());
                    }
                    // Known once the ledger decided; then always an object, {} when none.
                    if (r.metadata() != null) {
                        json.writeObjectFieldStart("metadata");
                        for (Map.Entry<String, String> e : r.metadata().entrySet()) {
                            json.writeStringField(e.getKey(), e.getValue());
                        }
                        json.writeEndObject();
                    }
                    if (r.externalReference() != null) {
                        json.writeStringField("externalReference", r.externalReference());
                    }
                    json.writeEndObject();
                });
    }

    /**
     * A failed lookup: 503 with Retry-After when the read model could not answer (the client may
     * simply ask again), 500 for anything else.
     */
    static void lookupFailed(
            ApiExchange exchange, Throwable error, Map<String, String> retryAfter) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof ReadModelLookups.ReadModelUnavailableException) {
            exchange.problem(
                    Problem.of(
                            ErrorCode.READ_MODEL_UNAVAILABLE,
                            "the read model did not answer in time; retry later"),
                    retryAfter);
        } else {
            LOG.error("request {}: lookup failed", exchange.requestId(), cause);
            exchange.problem(Problem.of(ErrorCode.INTERNAL_ERROR, "lookup failed"));
        }
    }

    private static Problem conflict() {
        return Problem.field(
                ErrorCode.IDEMPOTENCY_CONFLICT,
                "transactionId",
                "this transaction id was already used by this partner with a different payload");
    }

    static Problem unavailable(PublishException.Cause cause) {
        return cause == PublishException.Cause.SCHEMA_REGISTRY
                ? Problem.of(
                        ErrorCode.SCHEMA_REGISTRY_UNAVAILABLE,
                        "the schema registry has not been reachable since start; retry later")
                : Problem.of(
                        ErrorCode.KAFKA_UNAVAILABLE,
                        "the ledger request log did not acknowledge the write in time; nothing"
                                + " was accepted, retry with the same id");
    }
}
