package io.ledgerflow.ingest.ledger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@code GET /api/v1/accounts/{id}} and the ownership checks read accounts: {@link
 * ReadModelAccountView} (status and balances from the PostgreSQL read model) combined with {@link
 * AcceptedAccounts} (the commands this API instance accepted).
 */
public interface AccountView {

    /** The account, whoever owns it; callers filter by partner. */
    CompletableFuture<Optional<AccountRecord>> find(String accountId);
}
