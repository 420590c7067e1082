package io.ledgerflow.ingest.http;

/**
 * Thrown by parsers and validators to abort with a problem; never reaches the log as a stack trace
 * (no stack is captured: invalid input is expected traffic, not an error of the service).
 */
public final class InvalidRequestException extends RuntimeException {
    private final transient Problem problem;

    public InvalidRequestException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public InvalidRequestException(ErrorCode code, String field, String detail) {
        this(Problem.field(code, field, detail));
    }

    public Problem problem() {
        return problem;
    }
}
