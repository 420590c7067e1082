package io.ledgerflow.ingest.ledger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@code GET /api/v1/accounts/{id}} and the ownership checks read accounts. Today: the
 * accounts this API instance accepted commands for ({@link AcceptedAccounts}); later the PostgreSQL
 * read model with balances.
 */
public interface AccountView {

    /** The account, whoever owns it; callers filter by partner. */
    CompletableFuture<Optional<AccountRecord>> find(String accountId);
}
