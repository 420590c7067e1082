package io.ledgerflow.readmodel;

import java.util.Optional;

/**
 * What the ingest API asks the read model. A partner only ever sees its own transactions and
 * accounts: another partner's id answers empty, exactly like an unknown one.
 */
public interface ReadModel {

    /** The latest status of a partner's transaction, if the read model has it yet. */
    Optional<TransactionView> transaction(String partnerId, String transactionId);

    /** The latest state of a partner's account, if the read model has it yet. */
    Optional<AccountView> account(String partnerId, String accountId);

    /**
     * An account whoever owns it: for operators' routes only; callers must not show it to partners.
     */
    Optional<AccountView> account(String accountId);
}
