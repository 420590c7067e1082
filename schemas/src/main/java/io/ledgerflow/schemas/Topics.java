package io.ledgerflow.schemas;

/**
 * Names of the Kafka topics the platform uses, in one place: the ingest API, the jobs, the sinks,
 * the generator and the Kubernetes topic manifests all refer to these.
 *
 * <p>Keys are UTF-8 strings; values are Avro in the Confluent wire format, subject {@code
 * <topic>-value}.
 */
public final class Topics {

    /**
     * {@code LedgerRequest} values (money movements and account commands), keyed by the account the
     * ledger acts on first: the source account of TRANSFER, WITHDRAWAL, HOLD, CAPTURE, VOID and
     * REFUND, the destination of DEPOSIT, the account of an account command.
     */
    public static final String LEDGER_REQUESTS = "ledger.requests";

    /** {@code TransactionResult}, keyed by transaction id. */
    public static final String TRANSACTION_RESULTS = "ledger.transaction-results";

    /** {@code LedgerEntry}, keyed by account id. */
    public static final String LEDGER_ENTRIES = "ledger.entries";

    /** {@code AccountState}, keyed by account id; compacted. */
    public static final String ACCOUNT_STATES = "ledger.account-states";

    /** {@code AccountCommandResult}, keyed by account id. */
    public static final String ACCOUNT_COMMAND_RESULTS = "ledger.account-command-results";

    /** The ledger job's own second legs of transfers (credit, compensation, system postings). */
    public static final String LEDGER_INSTRUCTIONS = "ledger.instructions";

    /** {@code DeadLetter}: records a job could not use, with the reason. */
    public static final String DEAD_LETTERS = "ledger.dead-letters";

    /**
     * {@code FraudRule}, keyed by rule id; compacted (the latest version of every rule is what a
     * fresh ledger job loads). Every version is also kept by the sinks job as a rule change.
     */
    public static final String FRAUD_RULES = "ledger.fraud-rules";

    /** {@code FraudAlert}, keyed by the account whose activity matched a fraud rule. */
    public static final String FRAUD_ALERTS = "ledger.fraud-alerts";

    private Topics() {}
}
