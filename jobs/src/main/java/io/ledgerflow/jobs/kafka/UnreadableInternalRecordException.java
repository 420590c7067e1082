package io.ledgerflow.jobs.kafka;

import io.ledgerflow.schemas.serde.InvalidRecordException;

/**
 * A record on one of the job's own topics cannot be read. It fails the task on purpose (see {@link
 * DecodeConfluentAvro}); the message names the record's position, which is what an operator needs
 * to inspect it and, if the job never wrote it, to skip it.
 */
public final class UnreadableInternalRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableInternalRecordException(String position, InvalidRecordException cause) {
        super(
                "Internal record "
                        + position
                        + " cannot be read ("
                        + cause.reason()
                        + ": "
                        + cause.getMessage()
                        + "). It is the job's own data and may carry money in flight, so the job"
                        + " stops here instead of dead-lettering it. See docs/runbook.md, \"An"
                        + " internal record cannot be read\".",
                cause);
    }
}
