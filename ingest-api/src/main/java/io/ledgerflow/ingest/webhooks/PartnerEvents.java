package io.ledgerflow.ingest.webhooks;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.ingest.http.Json;
import io.ledgerflow.schemas.money.MinorUnits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The partner events the ledger's committed results make, with their ids.
 *
 * <p>Event types, in the body's {@code type}:
 *
 * <pre>
 * transaction.completed   a TRANSFER, DEPOSIT, WITHDRAWAL or CAPTURE (result COMPLETED)
 * transaction.rejected    any movement refused (REJECTED), with its reason
 * refund.completed        a REFUND completed
 * hold.held               a HOLD placed (HELD)
 * hold.captured           a hold captured (CAPTURED)
 * hold.voided             a hold voided (VOIDED)
 * hold.expired            a hold expired (EXPIRED)
 * account.opened          an account command accepted: OPEN, FREEZE, UNFREEZE, CLOSE
 * account.frozen
 * account.unfrozen
 * account.closed
 * webhook.test            sent by the test route to one endpoint only
 * </pre>
 *
 * A VOID movement's own COMPLETED result makes no event (the hold's {@code hold.voided} says it),
 * nor do refused account commands or overdraft limit changes: the API answered those already.
 *
 * <p>Ids: {@code evt_} and 32 hex digits of a SHA-256 over length-prefixed fields (a version, the
 * kind, the partner, the transaction or command id, the status), so the id depends on what was
 * decided, not on where or how often it was read: a redelivery, a replay or a re-read of the topic
 * after a crash carries the same id.
 */
public final class PartnerEvents {

    public static final String TEST = "webhook.test";

    /** Every type a partner may subscribe to. */
    public static final List<String> TYPES =
            List.of(
                    "transaction.completed",
                    "transaction.rejected",
                    "refund.completed",
                    "hold.held",
                    "hold.captured",
                    "hold.voided",
                    "hold.expired",
                    "account.opened",
                    "account.frozen",
                    "account.unfrozen",
                    "account.closed",
                    TEST);

    private PartnerEvents() {}

    /** The event of a transaction result, or empty when it makes none. */
    public static Optional<PartnerEvent> of(TransactionResult r) {
        String type = type(r.getType(), r.getStatus().name());
        if (type == null) {
            return Optional.empty();
        }
        String id =
                eventId(
                        "transaction",
                        r.getPartnerId(),
                        r.getTransactionId(),
                        r.getStatus().name());
        String account =
                r.getType() == MovementType.DEPOSIT
                        ? r.getDestinationAccountId()
                        : r.getSourceAccountId();
        Instant decided = r.getDecisionTime();
        String body =
                body(
                        id,
                        type,
                        decided,
                        json -> {
                            json.writeStringField("transactionId", r.getTransactionId());
                            json.writeStringField("type", r.getType().name());
                            json.writeStringField("status", r.getStatus().name());
                            optional(
                                    json,
                                    "reason",
                                    r.getReason() == null ? null : r.getReason().name());
                            optional(json, "reasonDetail", r.getReasonDetail());
                            optional(json, "sourceAccountId", r.getSourceAccountId());
                            optional(json, "destinationAccountId", r.getDestinationAccountId());
                            optional(json, "relatedTransactionId", r.getRelatedTransactionId());
                            json.writeStringField(
                                    "amount",
                                    MinorUnits.format(r.getAmountMinor(), r.getCurrency()));
                            json.writeStringField("currency", r.getCurrency());
                            json.writeStringField("decidedAt", decided.toString());
                            optional(json, "externalReference", r.getExternalReference());
                            json.writeObjectFieldStart("metadata");
                            for (Map.Entry<String, String> m :
                                    new TreeMap<>(r.getMetadata()).entrySet()) {
                                json.writeStringField(m.getKey(), m.getValue());
                            }
                            json.writeEndObject();
                        });
        return Optional.of(new PartnerEvent(id, r.getPartnerId(), account, type, decided, body));
    }

    /** The event type of a movement's result; null when it makes none. */
    static String type(MovementType movement, String status) {
        return switch (status) {
            case "COMPLETED" ->
                    switch (movement) {
                        case REFUND -> "refund.completed";
                        case VOID -> null;
                        default -> "transaction.completed";
                    };
            case "REJECTED" -> "transaction.rejected";
            case "HELD" -> "hold.held";
            case "CAPTURED" -> "hold.captured";
            case "VOIDED" -> "hold.voided";
            case "EXPIRED" -> "hold.expired";
            default -> null;
        };
    }

    /** The event of an account command's result, or empty when it makes none. */
    public static Optional<PartnerEvent> of(AccountCommandResult r) {
        if (!r.getAccepted()) {
            return Optional.empty();
        }
        String type =
                switch (r.getType()) {
                    case OPEN -> "account.opened";
                    case FREEZE -> "account.frozen";
                    case UNFREEZE -> "account.unfrozen";
                    case CLOSE -> "account.closed";
                    default -> null;
                };
        if (type == null) {
            return Optional.empty();
        }
        String id = eventId("account", r.getPartnerId(), r.getCommandId(), r.getType().name());
        Instant decided = r.getDecisionTime();
        String body =
                body(
                        id,
                        type,
                        decided,
                        json -> {
                            json.writeStringField("accountId", r.getAccountId());
                            json.writeStringField("commandId", r.getCommandId());
                            json.writeStringField("command", r.getType().name());
                            json.writeStringField("decidedAt", decided.toString());
                        });
        return Optional.of(
                new PartnerEvent(id, r.getPartnerId(), r.getAccountId(), type, decided, body));
    }

    /** A test event for one endpoint: a fresh id each time, since each is a new event. */
    public static PartnerEvent test(
            String partnerId, String endpointId, String nonce, Instant now) {
        String id = eventId("test", partnerId, endpointId, nonce);
        String body =
                body(
                        id,
                        TEST,
                        now,
                        json -> {
                            json.writeStringField("endpointId", endpointId);
                            json.writeStringField(
                                    "message", "A test event from Ledgerflow; no money moved.");
                        });
        return new PartnerEvent(id, partnerId, null, TEST, now, body);
    }

    /** The stable id: versioned, length-prefixed fields, so no two inputs collide by framing. */
    public static String eventId(String kind, String partnerId, String subjectId, String status) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {"v1", kind, partnerId, subjectId, status}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                sha.update(
                        new byte[] {
                            (byte) (bytes.length >>> 24),
                            (byte) (bytes.length >>> 16),
                            (byte) (bytes.length >>> 8),
                            (byte) bytes.length
                        });
                sha.update(bytes);
            }
            return "evt_" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Data {
        void write(JsonGenerator json) throws IOException;
    }

    /** The Standard Webhooks payload shape: {@code type}, {@code timestamp}, {@code data}. */
    private static String body(String id, String type, Instant at, Data data) {
        return new String(
                Json.write(
                        json -> {
                            json.writeStartObject();
                            json.writeStringField("id", id);
                            json.writeStringField("type", type);
                            json.writeStringField("timestamp", at.toString());
                            json.writeObjectFieldStart("data");
                            data.write(json);
                            json.writeEndObject();
                            json.writeEndObject();
                        }),
                StandardCharsets.UTF_8);
    }

    private static void optional(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
