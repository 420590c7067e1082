package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.AccountType;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Accounts from the PostgreSQL read model (the ledger's status and balances) combined with this
 * instance's memory of the commands it accepted (the requested status and last command id, which
 * the ledger may not have decided yet). Either side alone is answered as it is; when the read model
 * is down, only accounts this instance knows are answered (see {@link ReadModelStatusView}).
 */
public final class ReadModelAccountView implements AccountView {

    private final ReadModelLookups readModel;
    private final AccountView accepted;

    public ReadModelAccountView(ReadModelLookups readModel, AccountView accepted) {
        this.readModel = readModel;
        this.accepted = accepted;
    }

    @Override
    public CompletableFuture<Optional<AccountRecord>> find(String accountId) {
        return readModel
                .account(accountId)
                .handle(
                        (row, error) ->
                                accepted.find(accountId)
                                        .thenApply(
                                                known ->
                                                        error != null
                                                                ? ReadModelStatusView.orUnavailable(
                                                                        known, error)
                                                                : combine(row, known)))
                .thenCompose(f -> f);
    }

    private static Optional<AccountRecord> combine(
            Optional<io.ledgerflow.readmodel.AccountView> row, Optional<AccountRecord> known) {
        if (row.isEmpty()) {
            return known;
        }
        io.ledgerflow.readmodel.AccountView a = row.get();
        AccountRecord.LedgerState ledger =
                new AccountRecord.LedgerState(
                        a.status(),
                        a.balanceMinor(),
                        a.heldMinor(),
                        a.availableMinor(),
                        a.version(),
                        a.updatedTime());
        // The ledger owns the facts (owner, currency, limit); this instance's memory adds what was
        // requested since.
        return Optional.of(
                new AccountRecord(
                        a.accountId(),
                        a.partnerId(),
                        a.currency(),
                        AccountType.valueOf(a.accountType()),
                        a.overdraftLimitMinor(),
                        known.map(AccountRecord::requestedStatus).orElse(a.status()),
                        known.map(AccountRecord::lastCommandId).orElse(null),
                        known.map(AccountRecord::updatedAt)
                                .filter(t -> t.isAfter(a.updatedTime()))
                                .orElse(a.updatedTime()),
                        ledger));
    }
}
