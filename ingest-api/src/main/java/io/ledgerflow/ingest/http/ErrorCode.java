package io.ledgerflow.ingest.http;

/**
 * Machine-readable error codes of the API, each with its HTTP status and a short title. The code
 * travels as the {@code code} member of the RFC 9457 problem document; {@code type} is derived from
 * it ({@code https://ledgerflow.io/problems/<code-in-kebab-case>}).
 */
public enum ErrorCode {
    // Request shape
    MALFORMED_JSON(400, "Request body is not valid JSON"),
    INVALID_BODY(400, "Request body has the wrong shape"),
    UNKNOWN_FIELD(400, "Unknown field"),
    MISSING_FIELD(400, "Required field missing"),
    FIELD_NOT_ALLOWED(400, "Field not allowed for this request"),
    INVALID_FIELD_TYPE(400, "Field has the wrong JSON type"),
    INVALID_ID(400, "Identifier has an invalid format"),
    INVALID_MOVEMENT_TYPE(400, "Unknown movement type"),
    INVALID_ACCOUNT_TYPE(400, "Unknown or forbidden account type"),
    // Money
    INVALID_AMOUNT(400, "Amount is not a decimal string"),
    AMOUNT_NOT_POSITIVE(400, "Amount must be positive"),
    AMOUNT_NOT_ALLOWED(400, "Amount must be zero or absent"),
    AMOUNT_TOO_LARGE(400, "Amount above the maximum"),
    EXCESS_PRECISION(400, "Amount has more decimals than the currency allows"),
    UNKNOWN_CURRENCY(400, "Unknown currency"),
    SAME_ACCOUNT(400, "Source and destination are the same account"),
    // Account and hold controls
    INVALID_HOLD_EXPIRY(400, "Hold expiry must be positive and at most the maximum"),
    // Time and metadata
    INVALID_TIMESTAMP(400, "Timestamp is not an ISO-8601 instant"),
    TIMESTAMP_IN_FUTURE(400, "Timestamp too far in the future"),
    TIMESTAMP_TOO_OLD(400, "Timestamp too far in the past"),
    INVALID_METADATA(400, "Metadata is invalid"),
    INVALID_EXTERNAL_REFERENCE(400, "External reference is invalid"),
    // Batch
    BATCH_EMPTY(400, "Batch has no items"),
    BATCH_TOO_LARGE(400, "Batch has too many items"),
    // HTTP level
    PAYLOAD_TOO_LARGE(413, "Request body too large"),
    HEADERS_TOO_LARGE(431, "Request headers too large"),
    URI_TOO_LONG(414, "Request line too long"),
    MALFORMED_REQUEST(400, "Request is not valid HTTP"),
    UNSUPPORTED_MEDIA_TYPE(415, "Content-Type must be application/json"),
    ROUTE_NOT_FOUND(404, "No such route"),
    METHOD_NOT_ALLOWED(405, "Method not allowed on this route"),
    UNAUTHENTICATED(401, "Missing or invalid API key"),
    ADMIN_REQUIRED(403, "Admin API key required"),
    SCOPE_INSUFFICIENT(403, "API key scope does not allow this route"),
    PARTNER_SUSPENDED(403, "Partner suspended"),
    RATE_LIMITED(429, "Partner rate limit exceeded"),
    // Admin routes
    INVALID_QUERY_PARAMETER(400, "Query parameter is invalid"),
    INVALID_CURSOR(400, "Pagination cursor is invalid"),
    LIMIT_OUT_OF_RANGE(400, "Rate limit out of range"),
    PARTNER_NOT_FOUND(404, "Partner not found"),
    API_KEY_NOT_FOUND(404, "API key not found"),
    PARTNER_ALREADY_EXISTS(409, "Partner id already taken"),
    VERSION_CONFLICT(409, "Resource changed since the version given"),
    PARTNER_STATUS_CONFLICT(409, "Partner already in that status"),
    API_KEY_NOT_ACTIVE(409, "API key already revoked, expired or rotated"),
    SELF_LOCKOUT(409, "An admin key cannot revoke itself or suspend its own partner"),
    // History routes (GET /api/v1/transactions, an account's entries, balance, statement)
    MISSING_QUERY_PARAMETER(400, "Required query parameter missing"),
    INVALID_STATUS(400, "Unknown transaction status"),
    INVALID_RANGE(400, "Time range is empty or reversed"),
    RANGE_TOO_WIDE(400, "Time range wider than allowed"),
    CURSOR_MISMATCH(400, "Pagination cursor was issued for other filters"),
    STATEMENT_TOO_LARGE(422, "Statement has more entries than one answer holds"),
    NOT_ACCEPTABLE(406, "No representation matches the Accept header"),
    // Webhooks and the event stream (issue 15)
    INVALID_EVENT_TYPE(400, "Unknown event type"),
    WEBHOOK_URL_REFUSED(400, "Webhook URL not allowed"),
    WEBHOOK_ENDPOINT_NOT_FOUND(404, "Webhook endpoint not found"),
    EVENT_NOT_FOUND(404, "Event not found"),
    LAST_EVENT_ID_UNKNOWN(410, "Last-Event-ID is not an event within the retention window"),
    TOO_MANY_STREAMS(429, "Too many open event streams"),
    WEBHOOKS_UNAVAILABLE(503, "Webhook and event database unavailable"),
    // Resources
    TRANSACTION_NOT_FOUND(404, "Transaction not found"),
    ACCOUNT_NOT_FOUND(404, "Account not found"),
    SETTLEMENT_BATCH_NOT_FOUND(404, "Settlement batch not found"),
    IDEMPOTENCY_CONFLICT(409, "Transaction id already used with a different payload"),
    ACCOUNT_ALREADY_EXISTS(409, "Account id already taken"),
    // Dependencies
    KAFKA_UNAVAILABLE(503, "Ledger request log unavailable"),
    SCHEMA_REGISTRY_UNAVAILABLE(503, "Schema registry unavailable"),
    READ_MODEL_UNAVAILABLE(503, "Read model unavailable"),
    PARTNER_DIRECTORY_UNAVAILABLE(503, "Partner database unavailable"),
    INTERNAL_ERROR(500, "Internal error");

    private final int status;
    private final String title;
    private final String type;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
        this.type = "https://ledgerflow.io/problems/" + name().toLowerCase().replace('_', '-');
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String type() {
        return type;
    }
}
