package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.InstructionKind;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.results.Rejection;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The ledger's decision rules for one account, in plain Java: given the account and what is stored
 * at it ({@link AccountBook}), decide a request or one leg of a movement and say what changes
 * (postings, the account, holds, refundable credits, timers, results, instructions). The order in
 * which the rules refuse is written down in {@code DISCUSSION.md} ("Result codes, in order of
 * precedence"). {@link LedgerFunction} is the thin Flink operator around them: keyed state,
 * parking, timers, outputs, and applying a decision all or nothing.
 */
final class LedgerRules {

    private final Duration holdExpiry;
    private final Duration maxHoldExpiry;
    private final long maxOverdraftLimit;
    private final int systemAccountShards;

    /** With the default bound of a HOLD's own expiry and unbounded overdraft limits. */
    LedgerRules(Duration holdExpiry, int systemAccountShards) {
        this(
                holdExpiry,
                holdExpiry.compareTo(LedgerSettings.DEFAULT_MAX_HOLD_EXPIRY) >= 0
                        ? holdExpiry
                        : LedgerSettings.DEFAULT_MAX_HOLD_EXPIRY,
                Long.MAX_VALUE,
                systemAccountShards);
    }

    /**
     * @param holdExpiry how long a HOLD that does not say reserves its funds
     * @param maxHoldExpiry the longest a HOLD may ask for; longer is refused
     * @param maxOverdraftLimit the largest overdraft limit an OPEN or SET_OVERDRAFT_LIMIT may give
     */
    LedgerRules(
            Duration holdExpiry,
            Duration maxHoldExpiry,
            long maxOverdraftLimit,
            int systemAccountShards) {
        this.holdExpiry = holdExpiry;
        this.maxHoldExpiry = maxHoldExpiry;
        this.maxOverdraftLimit = maxOverdraftLimit;
        this.systemAccountShards = systemAccountShards;
    }

    /**
     * Decides {@code request} on {@code current}, the keyed account as the decision sees it (a
     * copy; null if it does not exist); every change goes to {@code book}.
     */
    void apply(LedgerRequest request, AccountRecord current, AccountBook book) throws Exception {
        Object body = request.getRequest();
        if (body instanceof AccountCommand command) {
            applyCommand(command, current, book);
            return;
        }
        MoneyMovement movement = (MoneyMovement) body;
        switch (movement.getType()) {
            case TRANSFER -> debitThenCredit(movement, current, book);
            case DEPOSIT -> deposit(movement, current, book);
            case WITHDRAWAL -> withdraw(movement, current, book);
            case HOLD -> placeHold(movement, current, book);
            case CAPTURE -> capture(movement, current, book);
            case VOID -> voidHold(movement, current, book);
            case REFUND -> refund(movement, current, book);
            default ->
                    book.result(
                            result(movement, TransactionStatus.REJECTED, book.now())
                                    .setReason(ReasonCode.OTHER)
                                    .setReasonDetail(
                                            "unsupported movement type " + movement.getType())
                                    .build());
        }
    }

    /** TRANSFER at the source: debit now, credit the destination through an instruction. */
    private void debitThenCredit(MoneyMovement m, AccountRecord source, AccountBook book)
            throws Exception {
        Rejection refused = debitRefusal(source, m, m.getAmountMinor(), book);
        if (refused != null) {
            book.result(rejected(m, refused, book));
            return;
        }
        post(
                source,
                m,
                EntryDirection.DEBIT,
                m.getAmountMinor(),
                m.getDestinationAccountId(),
                false,
                book);
        save(source, m.getTransactionId(), book);
        instruct(
                InstructionKind.CREDIT,
                m,
                m.getDestinationAccountId(),
                m.getSourceAccountId(),
                m.getAmountMinor(),
                null,
                book);
    }

    /**
     * DEPOSIT at the destination: the system account's side never refuses, so it completes here.
     */
    private void deposit(MoneyMovement m, AccountRecord destination, AccountBook book)
            throws Exception {
        Rejection refused = usability(destination, m.getPartnerId(), m.getCurrency(), book);
        if (refused == null) {
            refused = creditRefusal(destination, m.getAmountMinor());
        }
        if (refused != null) {
            book.result(rejected(m, refused, book));
            return;
        }
        String system =
                LedgerFunction.systemAccountId(
                        m.getCurrency(), m.getTransactionId(), systemAccountShards);
        post(destination, m, EntryDirection.CREDIT, m.getAmountMinor(), system, false, book);
        save(destination, m.getTransactionId(), book);
        instruct(
                InstructionKind.SYSTEM_POSTING,
                m,
                system,
                m.getDestinationAccountId(),
                m.getAmountMinor(),
                null,
                book);
        book.result(result(m, TransactionStatus.COMPLETED, book.now()).build());
    }

    /** WITHDRAWAL at the source; the system account's credit follows and never refuses. */
    private void withdraw(MoneyMovement m, AccountRecord source, AccountBook book)
            throws Exception {
        Rejection refused = debitRefusal(source, m, m.getAmountMinor(), book);
        if (refused != null) {
            book.result(rejected(m, refused, book));
            return;
        }
        String system =
                LedgerFunction.systemAccountId(
                        m.getCurrency(), m.getTransactionId(), systemAccountShards);
        post(source, m, EntryDirection.DEBIT, m.getAmountMinor(), system, false, book);
        save(source, m.getTransactionId(), book);
        instruct(
                InstructionKind.SYSTEM_POSTING,
                m,
                system,
                m.getSourceAccountId(),
                m.getAmountMinor(),
                null,
                book);
        book.result(result(m, TransactionStatus.COMPLETED, book.now()).build());
    }

    /**
     * HOLD: reserve funds on the source until captured, voided or expired. The hold expires after
     * its own {@code holdExpiresInMillis} if it has one (positive, at most {@link #maxHoldExpiry};
     * else it is refused before anything else), else after the default {@link #holdExpiry}; either
     * counted from this decision, when the funds are reserved.
     */
    void placeHold(MoneyMovement m, AccountRecord source, AccountBook book) throws Exception {
        Rejection refused = holdExpiryRefusal(m.getHoldExpiresInMillis());
        if (refused == null) {
            refused = debitRefusal(source, m, m.getAmountMinor(), book);
        }
        if (refused == null && !source.canHold(m.getAmountMinor())) {
            refused =
                    Rejection.of(
                            ReasonCode.BALANCE_LIMIT_EXCEEDED,
                            "held "
                                    + source.held
                                    + " plus "
                                    + m.getAmountMinor()
                                    + " would pass the largest amount the ledger can hold ("
                                    + Long.MAX_VALUE
                                    + " minor units)");
        }
        if (refused != null) {
            book.result(rejected(m, refused, book));
            return;
        }
        long now = book.now();
        HoldRecord h = new HoldRecord();
        h.partnerId = m.getPartnerId();
        h.amount = m.getAmountMinor();
        h.currency = m.getCurrency();
        h.destinationAccountId = m.getDestinationAccountId();
        h.expiresAtMillis =
                now
                        + (m.getHoldExpiresInMillis() == null
                                ? holdExpiry.toMillis()
                                : m.getHoldExpiresInMillis());
        h.eventTimeMillis = m.getEventTime().toEpochMilli();
        h.receivedTimeMillis = m.getReceivedTime().toEpochMilli();
        h.status = TransactionStatus.HELD;
        book.putHold(m.getTransactionId(), h);
        book.registerTimer(h.expiresAtMillis);
        source.held += h.amount;
        save(source, m.getTransactionId(), book);
        book.result(result(m, TransactionStatus.HELD, now).build());
    }

    /**
     * CAPTURE at the held account: take up to the held amount, release the rest, credit the payee.
     */
    private void capture(MoneyMovement m, AccountRecord source, AccountBook book) throws Exception {
        String holdId = m.getRelatedTransactionId();
        HoldRecord h = book.hold(holdId);
        Rejection refused = holdRefusal(h, m);
        if (refused == null && m.getAmountMinor() > h.amount) {
            refused =
                    Rejection.of(
                            ReasonCode.CAPTURE_EXCEEDS_HOLD,
                            "capture " + m.getAmountMinor() + " exceeds hold " + h.amount);
        }
        String payee =
                m.getDestinationAccountId() != null
                        ? m.getDestinationAccountId()
                        : h == null ? null : h.destinationAccountId;
        if (refused == null && payee == null) {
            refused =
                    Rejection.of(
                            ReasonCode.INVALID_STATE,
                            "neither the hold nor the capture names a payee");
        }
        if (refused == null && payee.equals(m.getSourceAccountId())) {
            refused = Rejection.of(ReasonCode.SAME_ACCOUNT, "payee is the held account");
        }
        if (refused == null) {
            refused = usability(source, m.getPartnerId(), m.getCurrency(), book);
        }
        if (refused != null) {
            book.result(rejected(m, refused, book));
            return;
        }
        source.held -= h.amount; // the uncaptured rest is released
        post(source, m, EntryDirection.DEBIT, m.getAmountMinor(), payee, false, book);
        save(source, m.getTransactionId(), book);
        h.status = TransactionStatus.CAPTURED; // final unless the payee refuses (compensation)
        h.captureTransactionId = m.getTransactionId();
        book.putHold(holdId, h);
        book.dropTimerIfUnused(h.expiresAtMillis);
        // The hold's CAPTURED result, made at the payee, carries the hold's own times, as its
        // VOIDED and EXPIRED results do: every result of a transaction has the same received time.
        book.instruction(
                instruction(
                                InstructionKind.CREDIT,
                                m,
                                payee,
                                m.getSourceAccountId(),
                                m.getAmountMinor(),
                                null,
                                book)
                        .setHoldEventTime(Instant.ofEpochMilli(h.eventTimeMillis))
                        .setHoldReceivedTime(Instant.ofEpochMilli(h.receivedTimeMillis))
                        .build());
    }

    /** VOID: release a hold's funds. Allowed on frozen accounts: releasing funds is always safe. */
    private void voidHold(MoneyMovement m, AccountRecord source, AccountBook book)
            throws Exception {
        String holdId = m.getRelatedTransactionId();
        HoldRecord h = book.hold(holdId);
        Rejection refused = holdRefusal(h, m);
        if (refused != null) {
            book.result(rejected(m, refused, book));
            return;
        }
        source.held -= h.amount;
        h.status = TransactionStatus.VOIDED;
        book.putHold(holdId, h);
        book.dropTimerIfUnused(h.expiresAtMillis);
        save(source, m.getTransactionId(), book);
        long now = book.now();
        book.result(
                holdResult(
                        holdId,
                        h,
                        m.getSourceAccountId(),
                        TransactionStatus.VOIDED,
                        null,
                        "voided by " + m.getTransactionId(),
                        now));
        book.result(result(m, TransactionStatus.COMPLETED, now).build());
    }

    /** REFUND at the account that received the original credit: debit it, credit the payer. */
    private void refund(MoneyMovement m, AccountRecord source, AccountBook book) throws Exception {
        String originalId = m.getRelatedTransactionId();
        RefundableCredit credit = book.refundable(originalId);
        Rejection refused = null;
        if (credit == null || !credit.partnerId.equals(m.getPartnerId())) {
            refused =
                    Rejection.of(
                            ReasonCode.RELATED_TRANSACTION_NOT_FOUND,
                            "no refundable credit " + originalId + " on " + m.getSourceAccountId());
        } else if (!credit.payerAccountId.equals(m.getDestinationAccountId())) {
            refused =
                    Rejection.of(
                            ReasonCode.INVALID_STATE,
                            "a refund goes back to the original payer " + credit.payerAccountId);
        } else if (!credit.currency.equals(m.getCurrency())) {
            refused =
                    Rejection.of(
                            ReasonCode.CURRENCY_MISMATCH, "original was in " + credit.currency);
        } else if (m.getAmountMinor() > credit.remaining()) {
            refused =
                    Rejection.of(
                            ReasonCode.REFUND_EXCEEDS_ORIGINAL,
                            "refundable " + credit.remaining() + " of " + credit.amount);
        }
        if (refused == null) {
            refused = debitRefusal(source, m, m.getAmountMinor(), book);
        }
        if (refused != null) {
            book.result(rejected(m, refused, book));
            return;
        }
        credit.refunded += m.getAmountMinor();
        book.putRefundable(originalId, credit);
        post(
                source,
                m,
                EntryDirection.DEBIT,
                m.getAmountMinor(),
                m.getDestinationAccountId(),
                false,
                book);
        save(source, m.getTransactionId(), book);
        instruct(
                InstructionKind.CREDIT,
                m,
                m.getDestinationAccountId(),
                m.getSourceAccountId(),
                m.getAmountMinor(),
                null,
                book);
    }

    /**
     * The credit leg of a TRANSFER, CAPTURE or REFUND; a refusal sends the money back. Returns true
     * if it was posted.
     */
    boolean credit(LedgerInstruction ins, AccountRecord destination, AccountBook book) {
        MoneyMovement m = ins.getMovement();
        Rejection refused = usability(destination, m.getPartnerId(), m.getCurrency(), book);
        if (refused == null) {
            refused = creditRefusal(destination, ins.getAmountMinor());
        }
        if (refused != null) {
            instruct(
                    InstructionKind.COMPENSATE,
                    m,
                    ins.getCounterpartyAccountId(),
                    ins.getAccountId(),
                    ins.getAmountMinor(),
                    refused,
                    book);
            return false;
        }
        post(
                destination,
                m,
                EntryDirection.CREDIT,
                ins.getAmountMinor(),
                ins.getCounterpartyAccountId(),
                false,
                book);
        save(destination, m.getTransactionId(), book);
        boolean refundable =
                m.getType() == MovementType.TRANSFER || m.getType() == MovementType.CAPTURE;
        if (refundable) {
            RefundableCredit credit = new RefundableCredit();
            credit.partnerId = m.getPartnerId();
            credit.payerAccountId = ins.getCounterpartyAccountId();
            credit.currency = m.getCurrency();
            credit.amount = ins.getAmountMinor();
            book.putRefundable(m.getTransactionId(), credit);
        }
        long now = book.now();
        if (m.getType() == MovementType.CAPTURE) {
            TransactionResult.Builder captured =
                    TransactionResult.newBuilder(result(m, TransactionStatus.CAPTURED, now).build())
                            .setTransactionId(m.getRelatedTransactionId())
                            .setType(MovementType.HOLD)
                            .setRelatedTransactionId(m.getTransactionId())
                            .setReasonDetail("captured by " + m.getTransactionId());
            if (ins.getHoldReceivedTime() != null) {
                captured.setEventTime(ins.getHoldEventTime())
                        .setReceivedTime(ins.getHoldReceivedTime());
            }
            book.result(captured.build());
        }
        book.result(result(m, TransactionStatus.COMPLETED, now).build());
        return refundable;
    }

    /**
     * Returns a debit whose credit was refused; never refuses, or money would vanish. In the one
     * case where the money cannot go back onto the payer's account (its balance grew, while the
     * debit was in flight, so close to the largest balance that the return would pass it), it is
     * posted to the currency's suspense account instead, for an operator to settle, and the result
     * says so.
     */
    void compensate(LedgerInstruction ins, AccountRecord source, AccountBook book)
            throws Exception {
        MoneyMovement m = ins.getMovement();
        String detail = ins.getReasonDetail();
        if (source.canCredit(ins.getAmountMinor())) {
            post(
                    source,
                    m,
                    EntryDirection.CREDIT,
                    ins.getAmountMinor(),
                    ins.getCounterpartyAccountId(),
                    true,
                    book);
            save(source, m.getTransactionId(), book);
        } else {
            String suspense = LedgerFunction.suspenseAccountId(m.getCurrency());
            instruct(
                    InstructionKind.SYSTEM_POSTING,
                    m,
                    suspense,
                    ins.getAccountId(),
                    ins.getAmountMinor(),
                    null,
                    book);
            detail =
                    detail
                            + "; the returned funds are held in "
                            + suspense
                            + " because "
                            + ins.getAccountId()
                            + " is at the largest balance the ledger holds";
        }
        Rejection why =
                Rejection.of(
                        ins.getReason() == null ? ReasonCode.CREDIT_REFUSED : ins.getReason(),
                        detail);
        long now = book.now();
        if (m.getType() == MovementType.CAPTURE) {
            // The hold's funds were released when the capture debited them; it ends voided.
            HoldRecord h = book.hold(m.getRelatedTransactionId());
            if (h != null) {
                h.status = TransactionStatus.VOIDED;
                book.putHold(m.getRelatedTransactionId(), h);
                book.result(
                        holdResult(
                                m.getRelatedTransactionId(),
                                h,
                                m.getSourceAccountId(),
                                TransactionStatus.VOIDED,
                                ReasonCode.CREDIT_REFUSED,
                                "capture "
                                        + m.getTransactionId()
                                        + " refused by payee: "
                                        + why.detail(),
                                now));
            }
        } else if (m.getType() == MovementType.REFUND) {
            RefundableCredit credit = book.refundable(m.getRelatedTransactionId());
            if (credit != null) {
                credit.refunded -= ins.getAmountMinor();
                book.putRefundable(m.getRelatedTransactionId(), credit);
            }
        }
        book.result(rejected(m, why, book));
    }

    /**
     * The outside world's side of a DEPOSIT (debit) or WITHDRAWAL (credit), or a return parked in
     * suspense (credit). System accounts are unbounded (see {@link AccountRecord#move}).
     */
    void systemPosting(LedgerInstruction ins, AccountRecord system, AccountBook book) {
        MoneyMovement m = ins.getMovement();
        if (system == null) {
            system = new AccountRecord();
            system.partnerId = LedgerFunction.SYSTEM_PARTNER;
            system.currency = m.getCurrency();
            system.type = AccountType.SYSTEM;
            system.status = AccountStatus.OPEN;
        }
        EntryDirection direction =
                m.getType() == MovementType.DEPOSIT ? EntryDirection.DEBIT : EntryDirection.CREDIT;
        post(
                system,
                m,
                direction,
                ins.getAmountMinor(),
                ins.getCounterpartyAccountId(),
                false,
                book);
        save(system, m.getTransactionId(), book);
    }

    void expireHolds(long timestamp, AccountRecord source, AccountBook book) throws Exception {
        String accountId = book.accountId();
        boolean changed = false;
        for (Map.Entry<String, HoldRecord> entry : book.storedHolds()) {
            HoldRecord h = entry.getValue().copy();
            if (h.isOpen() && h.expiresAtMillis <= timestamp) {
                source.held -= h.amount;
                h.status = TransactionStatus.EXPIRED;
                book.putHold(entry.getKey(), h);
                book.result(
                        holdResult(
                                entry.getKey(),
                                h,
                                accountId,
                                TransactionStatus.EXPIRED,
                                ReasonCode.HOLD_EXPIRED,
                                "not captured by " + Instant.ofEpochMilli(h.expiresAtMillis),
                                timestamp));
                changed = true;
            }
        }
        if (changed) {
            save(source, "hold-expiry", book);
        }
    }

    // ---------------------------------------------------------------- account commands

    private void applyCommand(AccountCommand c, AccountRecord a, AccountBook book)
            throws Exception {
        Rejection refused =
                switch (c.getType()) {
                    case OPEN -> openRefusal(a, c);
                    case CLOSE -> lifecycleRefusal(a, c, AccountStatus.OPEN, AccountStatus.FROZEN);
                    case FREEZE -> lifecycleRefusal(a, c, AccountStatus.OPEN);
                    case UNFREEZE -> lifecycleRefusal(a, c, AccountStatus.FROZEN);
                    case SET_OVERDRAFT_LIMIT -> overdraftLimitRefusal(a, c);
                };
        if (refused == null
                && c.getType() == io.ledgerflow.avro.AccountCommandType.CLOSE
                && (a.balance != 0 || a.held != 0)) {
            refused =
                    Rejection.of(
                            ReasonCode.BALANCE_NOT_ZERO,
                            "balance " + a.balance + ", held " + a.held);
        }
        long now = book.now();
        AccountCommandResult.Builder result =
                AccountCommandResult.newBuilder()
                        .setCommandId(c.getCommandId())
                        .setPartnerId(c.getPartnerId())
                        .setAccountId(c.getAccountId())
                        .setType(c.getType())
                        .setAccepted(refused == null)
                        .setDecisionTime(Instant.ofEpochMilli(now));
        if (refused != null) {
            book.commandResult(
                    result.setReason(refused.reason()).setReasonDetail(refused.detail()).build());
            return;
        }
        switch (c.getType()) {
            case OPEN -> {
                a = new AccountRecord();
                a.partnerId = c.getPartnerId();
                a.currency = c.getCurrency();
                a.type = c.getAccountType() == null ? AccountType.CUSTOMER : c.getAccountType();
                a.status = AccountStatus.OPEN;
                a.overdraftLimit = c.getOverdraftLimitMinor();
            }
            case CLOSE -> a.status = AccountStatus.CLOSED;
            case FREEZE -> a.status = AccountStatus.FROZEN;
            case UNFREEZE -> a.status = AccountStatus.OPEN;
            case SET_OVERDRAFT_LIMIT -> a.overdraftLimit = c.getOverdraftLimitMinor();
        }
        save(a, c.getCommandId(), book);
        book.commandResult(result.build());
    }

    private Rejection openRefusal(AccountRecord existing, AccountCommand c) {
        if (existing != null) {
            return Rejection.of(
                    ReasonCode.ACCOUNT_ALREADY_EXISTS, "account " + c.getAccountId() + " exists");
        }
        if (c.getAccountId().startsWith(LedgerFunction.SYSTEM_ACCOUNT_PREFIX)
                || c.getAccountType() == AccountType.SYSTEM) {
            return Rejection.of(ReasonCode.OTHER, "system accounts are the ledger's own");
        }
        if (c.getCurrency() == null || !Currencies.isSupported(c.getCurrency())) {
            return Rejection.of(ReasonCode.OTHER, "unsupported currency " + c.getCurrency());
        }
        return overdraftLimitValueRefusal(c.getOverdraftLimitMinor());
    }

    /**
     * SET_OVERDRAFT_LIMIT, first refusal wins: {@code ACCOUNT_NOT_FOUND} (no account, another
     * partner's, or a system account: those are the ledger's own and have no limit to change);
     * {@code ACCOUNT_CLOSED}; {@code CURRENCY_MISMATCH} (the command names a currency, and not the
     * account's: the limit's minor units would mean another amount); {@code INVALID_AMOUNT}
     * (negative, or above {@code --max-overdraft-limit}); {@code OVERDRAFT_IN_USE} (the account
     * already uses more overdraft than the new limit allows: {@code balance - held < -newLimit},
     * holds counted as in the funds check). A frozen account may change its limit: nothing can
     * leave it meanwhile, and lowering the limit of a frozen account is a risk team's usual step.
     */
    private Rejection overdraftLimitRefusal(AccountRecord a, AccountCommand c) {
        if (a == null
                || !a.partnerId.equals(c.getPartnerId())
                || a.isSystem()
                || c.getAccountId().startsWith(LedgerFunction.SYSTEM_ACCOUNT_PREFIX)) {
            return Rejection.of(ReasonCode.ACCOUNT_NOT_FOUND, "no account " + c.getAccountId());
        }
        if (a.status == AccountStatus.CLOSED) {
            return Rejection.of(ReasonCode.ACCOUNT_CLOSED, "account is closed");
        }
        if (c.getCurrency() != null && !c.getCurrency().equals(a.currency)) {
            return Rejection.of(
                    ReasonCode.CURRENCY_MISMATCH,
                    "account holds " + a.currency + ", not " + c.getCurrency());
        }
        long limit = c.getOverdraftLimitMinor();
        Rejection invalid = overdraftLimitValueRefusal(limit);
        if (invalid != null) {
            return invalid;
        }
        if (!a.allowsOverdraftLimit(limit)) {
            return Rejection.of(
                    ReasonCode.OVERDRAFT_IN_USE,
                    "available "
                            + a.available()
                            + " (balance "
                            + a.balance
                            + ", held "
                            + a.held
                            + ") is below -"
                            + limit
                            + ": settle the overdraft in use or release holds first");
        }
        return null;
    }

    /** Why {@code limit} is no overdraft limit the ledger gives, or null. */
    private Rejection overdraftLimitValueRefusal(long limit) {
        if (limit < 0) {
            return Rejection.of(ReasonCode.INVALID_AMOUNT, "overdraft limit must not be negative");
        }
        if (limit > maxOverdraftLimit) {
            return Rejection.of(
                    ReasonCode.INVALID_AMOUNT,
                    "overdraft limit "
                            + limit
                            + " is above the ledger's maximum "
                            + maxOverdraftLimit);
        }
        return null;
    }

    /** Why a HOLD's own expiry is not one the ledger keeps, or null (none asked: the default). */
    private Rejection holdExpiryRefusal(Long expiresInMillis) {
        if (expiresInMillis == null) {
            return null;
        }
        if (expiresInMillis <= 0) {
            return Rejection.of(
                    ReasonCode.OTHER,
                    "holdExpiresInMillis must be positive; got " + expiresInMillis);
        }
        if (expiresInMillis > maxHoldExpiry.toMillis()) {
            return Rejection.of(
                    ReasonCode.OTHER,
                    "hold expiry "
                            + Duration.ofMillis(expiresInMillis)
                            + " is longer than the ledger's maximum "
                            + maxHoldExpiry);
        }
        return null;
    }

    private static Rejection lifecycleRefusal(
            AccountRecord a, AccountCommand c, AccountStatus... allowed) {
        if (a == null || !a.partnerId.equals(c.getPartnerId())) {
            return Rejection.of(ReasonCode.ACCOUNT_NOT_FOUND, "no account " + c.getAccountId());
        }
        for (AccountStatus status : allowed) {
            if (a.status == status) {
                return null;
            }
        }
        if (a.status == AccountStatus.CLOSED) {
            return Rejection.of(ReasonCode.ACCOUNT_CLOSED, "account is closed");
        }
        return Rejection.of(
                ReasonCode.INVALID_STATE,
                c.getType() + " not allowed on a " + a.status + " account");
    }

    // ---------------------------------------------------------------- rules shared by the legs

    /** Why {@code a} may not take part in a movement of {@code partner} in {@code currency}. */
    private static Rejection usability(
            AccountRecord a, String partner, String currency, AccountBook book) {
        String id = book.accountId();
        // Another partner's account is reported as unknown: its existence is not theirs to learn.
        if (a == null || !a.partnerId.equals(partner)) {
            return Rejection.of(ReasonCode.ACCOUNT_NOT_FOUND, "no account " + id);
        }
        if (a.status == AccountStatus.CLOSED) {
            return Rejection.of(ReasonCode.ACCOUNT_CLOSED, "account " + id + " is closed");
        }
        if (a.status == AccountStatus.FROZEN) {
            return Rejection.of(ReasonCode.ACCOUNT_FROZEN, "account " + id + " is frozen");
        }
        if (!a.currency.equals(currency)) {
            return Rejection.of(
                    ReasonCode.CURRENCY_MISMATCH,
                    "account " + id + " holds " + a.currency + ", not " + currency);
        }
        return null;
    }

    /** Why {@code amount} may not leave the keyed account {@code a} for movement {@code m}. */
    private static Rejection debitRefusal(
            AccountRecord a, MoneyMovement m, long amount, AccountBook book) {
        Rejection unusable = usability(a, m.getPartnerId(), m.getCurrency(), book);
        if (unusable != null) {
            return unusable;
        }
        if (!a.canDebit(amount)) {
            return Rejection.of(
                    ReasonCode.INSUFFICIENT_FUNDS,
                    "available "
                            + a.available()
                            + " (overdraft "
                            + a.overdraftLimit
                            + "), needed "
                            + amount);
        }
        return null;
    }

    /**
     * Why {@code amount} may not enter the keyed account {@code a}: a customer account's balance
     * stays within 64 bits (the schemas' and the stores' range), so a credit that would pass the
     * largest balance is refused rather than wrapping or failing the job.
     */
    private static Rejection creditRefusal(AccountRecord a, long amount) {
        if (a.canCredit(amount)) {
            return null;
        }
        return Rejection.of(
                ReasonCode.BALANCE_LIMIT_EXCEEDED,
                "balance "
                        + a.balance
                        + " plus "
                        + amount
                        + " would pass the largest balance the ledger holds ("
                        + Long.MAX_VALUE
                        + " minor units)");
    }

    private static Rejection holdRefusal(HoldRecord h, MoneyMovement m) {
        String holdId = m.getRelatedTransactionId();
        if (h == null || !h.partnerId.equals(m.getPartnerId())) {
            return Rejection.of(
                    ReasonCode.RELATED_TRANSACTION_NOT_FOUND,
                    "no hold " + holdId + " on " + m.getSourceAccountId());
        }
        if (h.status == TransactionStatus.EXPIRED) {
            return Rejection.of(ReasonCode.HOLD_EXPIRED, "hold " + holdId + " expired");
        }
        if (!h.isOpen()) {
            return Rejection.of(ReasonCode.INVALID_STATE, "hold " + holdId + " is " + h.status);
        }
        if (m.getType() == MovementType.CAPTURE && !h.currency.equals(m.getCurrency())) {
            return Rejection.of(ReasonCode.CURRENCY_MISMATCH, "hold is in " + h.currency);
        }
        return null;
    }

    // ---------------------------------------------------------------- outputs

    /** Posts one entry on the keyed account: balance, sequence and hash chain move together. */
    private void post(
            AccountRecord a,
            MoneyMovement m,
            EntryDirection direction,
            long amount,
            String counterparty,
            boolean reversal,
            AccountBook book) {
        a.move(direction == EntryDirection.CREDIT ? amount : -amount);
        a.lastSequence++;
        LedgerEntry entry =
                LedgerEntry.newBuilder()
                        .setAccountId(book.accountId())
                        .setSequence(a.lastSequence)
                        .setTransactionId(m.getTransactionId())
                        .setPartnerId(a.partnerId)
                        .setMovementType(m.getType())
                        .setDirection(direction)
                        .setAmountMinor(amount)
                        .setCurrency(a.currency)
                        .setBalanceAfterMinor(a.balance)
                        .setWideBalanceAfter(wide(a))
                        .setCounterpartyAccountId(counterparty)
                        .setReversal(reversal)
                        .setEventTime(m.getEventTime())
                        .setPostedTime(Instant.ofEpochMilli(book.now()))
                        .setPreviousHash(a.lastHash)
                        .setHash("")
                        .setHashFormat(LedgerEntryHash.CURRENT_FORMAT)
                        .build();
        entry.setHash(book.hash(entry));
        a.lastHash = entry.getHash();
        book.entry(entry);
    }

    private void save(AccountRecord a, String causeId, AccountBook book) {
        a.version++;
        book.saveAccount(a);
        book.accountState(
                AccountState.newBuilder()
                        .setAccountId(book.accountId())
                        .setPartnerId(a.partnerId)
                        .setCurrency(a.currency)
                        .setAccountType(a.type)
                        .setStatus(a.status)
                        .setBalanceMinor(a.balance)
                        .setHeldMinor(a.held)
                        .setAvailableMinor(a.wideBalance == null ? a.available() : a.balance)
                        .setWideBalance(wide(a))
                        .setOverdraftLimitMinor(a.overdraftLimit)
                        .setLastSequence(a.lastSequence)
                        .setVersion(a.version)
                        .setCauseId(causeId)
                        .setUpdatedTime(Instant.ofEpochMilli(book.now()))
                        .build());
    }

    /** The exact balance of a system account beyond 64 bits, else null (the long is exact). */
    private static BigDecimal wide(AccountRecord a) {
        return a.wideBalance == null ? null : new BigDecimal(a.wideBalance);
    }

    void instruct(
            InstructionKind kind,
            MoneyMovement m,
            String targetAccount,
            String counterparty,
            long amount,
            Rejection reason,
            AccountBook book) {
        book.instruction(
                instruction(kind, m, targetAccount, counterparty, amount, reason, book).build());
    }

    private static LedgerInstruction.Builder instruction(
            InstructionKind kind,
            MoneyMovement m,
            String targetAccount,
            String counterparty,
            long amount,
            Rejection reason,
            AccountBook book) {
        return LedgerInstruction.newBuilder()
                .setInstructionId(m.getTransactionId() + ":" + kind)
                .setKind(kind)
                .setMovement(m)
                .setAccountId(targetAccount)
                .setCounterpartyAccountId(counterparty)
                .setAmountMinor(amount)
                .setReason(reason == null ? null : reason.reason())
                .setReasonDetail(reason == null ? null : reason.detail())
                .setCreatedTime(Instant.ofEpochMilli(book.now()));
    }

    private static TransactionResult.Builder result(
            MoneyMovement m, TransactionStatus status, long now) {
        return TransactionResult.newBuilder()
                .setTransactionId(m.getTransactionId())
                .setPartnerId(m.getPartnerId())
                .setType(m.getType())
                .setStatus(status)
                .setSourceAccountId(m.getSourceAccountId())
                .setDestinationAccountId(m.getDestinationAccountId())
                .setRelatedTransactionId(m.getRelatedTransactionId())
                .setAmountMinor(m.getAmountMinor())
                .setCurrency(m.getCurrency())
                .setEventTime(m.getEventTime())
                .setReceivedTime(m.getReceivedTime())
                .setDecisionTime(Instant.ofEpochMilli(now));
    }

    private static TransactionResult rejected(MoneyMovement m, Rejection why, AccountBook book) {
        return result(m, TransactionStatus.REJECTED, book.now())
                .setReason(why.reason())
                .setReasonDetail(why.detail())
                .build();
    }

    private static TransactionResult holdResult(
            String holdId,
            HoldRecord h,
            String accountId,
            TransactionStatus status,
            ReasonCode reason,
            String detail,
            long now) {
        return TransactionResult.newBuilder()
                .setTransactionId(holdId)
                .setPartnerId(h.partnerId)
                .setType(MovementType.HOLD)
                .setStatus(status)
                .setReason(reason)
                .setReasonDetail(detail)
                .setSourceAccountId(accountId)
                .setDestinationAccountId(h.destinationAccountId)
                .setAmountMinor(h.amount)
                .setCurrency(h.currency)
                .setEventTime(Instant.ofEpochMilli(h.eventTimeMillis))
                .setReceivedTime(Instant.ofEpochMilli(h.receivedTimeMillis))
                .setDecisionTime(Instant.ofEpochMilli(now))
                .build();
    }
}
