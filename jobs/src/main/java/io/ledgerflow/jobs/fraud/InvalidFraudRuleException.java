package io.ledgerflow.jobs.fraud;

/** A fraud rule record that cannot be put in force: a missing or out-of-range threshold. */
public final class InvalidFraudRuleException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidFraudRuleException(String message) {
        super(message);
    }
}
