package io.ledgerflow.ingest.ledger;

import java.time.Instant;

/** How one submitted movement ended, for the HTTP layer to render. */
public sealed interface SubmissionOutcome {

    String transactionId();

    /** Written to Kafka (now, or by the earlier request with the same id and payload). */
    record Accepted(String transactionId, Instant acceptedAt) implements SubmissionOutcome {}

    /** The id was used before with a different payload. */
    record Conflict(String transactionId) implements SubmissionOutcome {}

    /** Not written: Kafka or the registry did not answer in time. Safe to retry. */
    record Unavailable(String transactionId, PublishException.Cause cause)
            implements SubmissionOutcome {}
}
