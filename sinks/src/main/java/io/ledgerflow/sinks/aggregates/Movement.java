package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One terminal decision of the ledger as one aggregate key sees it: the partner's view (key partner
 * and currency; its counterparties are every account the movement touched) or one account's view
 * (key the account; its counterparty is the other account, if any). A plain Flink POJO.
 */
public class Movement {

    public String scope;
    public String partnerId;
    public String currency;

    /** The account this view belongs to; empty in the partner's view. */
    public String accountId;

    public String transactionId;
    public String type;
    public String status;

    /** Null unless the ledger gave one (REJECTED, EXPIRED). */
    public String reason;

    public long amountMinor;
    public long eventTimeMillis;

    /** Distinct-counterparty members this movement contributes (may be empty). */
    public String[] counterparties;

    public Movement() {}

    /** Whether the ledger's decision is final: every status but HELD. */
    public static boolean isTerminal(TransactionResult r) {
        return r.getStatus() != TransactionStatus.HELD;
    }

    /** The partner's view of a terminal result: counterparties are the accounts it touched. */
    public static Movement forPartner(TransactionResult r) {
        List<String> accounts = new ArrayList<>(2);
        addIfPresent(accounts, r.getSourceAccountId());
        addIfPresent(accounts, r.getDestinationAccountId());
        return of(r, Scope.PARTNER, "", accounts);
    }

    /**
     * One view per account the result touched (source and destination); a transfer's two sides are
     * counted once for each account, its counterparty being the other side.
     */
    public static List<Movement> forAccounts(TransactionResult r) {
        String source = r.getSourceAccountId();
        String destination = r.getDestinationAccountId();
        List<Movement> views = new ArrayList<>(2);
        if (present(source)) {
            views.add(
                    of(
                            r,
                            Scope.ACCOUNT,
                            source,
                            present(destination) ? List.of(destination) : List.of()));
        }
        if (present(destination) && !destination.equals(source)) {
            views.add(
                    of(
                            r,
                            Scope.ACCOUNT,
                            destination,
                            present(source) ? List.of(source) : List.of()));
        }
        return views;
    }

    /** The aggregate key: scope, partner, currency, account. */
    public String key() {
        return Scope.key(scope, partnerId, currency, accountId);
    }

    private static Movement of(
            TransactionResult r, String scope, String accountId, List<String> counterparties) {
        Movement m = new Movement();
        m.scope = scope;
        m.partnerId = r.getPartnerId();
        m.currency = r.getCurrency();
        m.accountId = accountId;
        m.transactionId = r.getTransactionId();
        m.type = r.getType().name();
        m.status = r.getStatus().name();
        m.reason = r.getReason() == null ? null : r.getReason().name();
        m.amountMinor = r.getAmountMinor();
        m.eventTimeMillis = r.getEventTime().toEpochMilli();
        m.counterparties = counterparties.toArray(new String[0]);
        return m;
    }

    private static boolean present(String accountId) {
        return accountId != null && !accountId.isEmpty();
    }

    private static void addIfPresent(List<String> accounts, String accountId) {
        if (present(accountId) && !accounts.contains(accountId)) {
            accounts.add(accountId);
        }
    }

    /** The two kinds of aggregate keys. */
    public static final class Scope {
        public static final String PARTNER = "partner";
        public static final String ACCOUNT = "account";

        private Scope() {}

        static String key(String scope, String partnerId, String currency, String accountId) {
            return scope + '|' + partnerId + '|' + currency + '|' + accountId;
        }
    }
}
