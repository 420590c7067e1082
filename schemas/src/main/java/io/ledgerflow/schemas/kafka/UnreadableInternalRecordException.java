package io.ledgerflow.schemas.kafka;

import io.ledgerflow.schemas.serde.InvalidRecordException;

/**
 * A record on an internal topic (one that only the platform's own jobs write, transactionally)
 * cannot be read. It fails the task on purpose: the record is a job's own data, so dropping it to a
 * dead letter would lose it silently. The task restarts from its checkpoint and stops at the record
 * again until an operator acts. The message names the record's position ({@link
 * InternalRecordPositions}), which is what an operator needs to inspect it and, if no job of ours
 * wrote it, to skip it with {@code --skip-internal-records}.
 *
 * <p>Shared by the ledger job (its instruction loop) and the sinks job (the ledger's outputs),
 * which do not depend on each other.
 */
public final class UnreadableInternalRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param position where the record is, {@link InternalRecordPositions#of}
     * @param cause why it cannot be read
     * @param whyItStops what dropping it would lose, for the operator reading the message
     */
    public UnreadableInternalRecordException(
            String position, InvalidRecordException cause, String whyItStops) {
        super(
                "Internal record "
                        + position
                        + " cannot be read ("
                        + cause.reason()
                        + ": "
                        + cause.getMessage()
                        + "). "
                        + whyItStops
                        + " See docs/runbook.md, \"An internal record cannot be read\".",
                cause);
    }
}
