package io.ledgerflow.sinks.testutils;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.sinks.aggregates.AggregateLevel;
import io.ledgerflow.sinks.aggregates.Movement;
import io.ledgerflow.sinks.aggregates.WindowAggregate;
import io.ledgerflow.sinks.aggregates.WindowFigures;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/**
 * Rows whose balances or sums lie beyond 64 bits (issue 12), as the ledger and the aggregates
 * produce them, for the store round-trip tests: a system account that has paid out more than
 * Long.MAX_VALUE, its entry, and an hour whose total and approved total pass Long.MAX_VALUE.
 */
public final class WideRows {

    private WideRows() {}

    /** A system account's balance, far below Long.MIN_VALUE: -(2^70 + 7). */
    public static final BigDecimal SYSTEM_BALANCE =
            new BigDecimal(BigInteger.ONE.shiftLeft(70).add(BigInteger.valueOf(7)).negate());

    /** Three decisions of Long.MAX_VALUE, all COMPLETED: 3 * (2^63 - 1). */
    public static final BigInteger HOUR_TOTAL =
            BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(3));

    public static final String SYSTEM_ACCOUNT = "SYSTEM-EUR-7";

    /**
     * The system account after a change, its exact balance in the wide field, the longs saturated.
     */
    public static AccountState systemAccount(long version) {
        return AccountState.newBuilder()
                .setAccountId(SYSTEM_ACCOUNT)
                .setPartnerId("p-wide")
                .setCurrency("EUR")
                .setAccountType(AccountType.SYSTEM)
                .setStatus(AccountStatus.OPEN)
                .setBalanceMinor(Long.MIN_VALUE)
                .setHeldMinor(0)
                .setAvailableMinor(Long.MIN_VALUE)
                .setWideBalance(SYSTEM_BALANCE)
                .setOverdraftLimitMinor(0)
                .setLastSequence(version)
                .setVersion(version)
                .setCauseId("wide-" + version)
                .setUpdatedTime(Instant.parse("2026-11-21T10:00:00Z").plusSeconds(version))
                .build();
    }

    /** The system account's posting that left it at {@link #SYSTEM_BALANCE}. */
    public static LedgerEntry systemEntry(long sequence) {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        return LedgerEntry.newBuilder()
                .setAccountId(SYSTEM_ACCOUNT)
                .setSequence(sequence)
                .setTransactionId("wide-" + sequence)
                .setPartnerId("p-wide")
                .setMovementType(MovementType.DEPOSIT)
                .setDirection(EntryDirection.DEBIT)
                .setAmountMinor(Long.MAX_VALUE)
                .setCurrency("EUR")
                .setBalanceAfterMinor(Long.MIN_VALUE)
                .setWideBalanceAfter(SYSTEM_BALANCE)
                .setCounterpartyAccountId("acc-wide")
                .setEventTime(t)
                .setPostedTime(t)
                .setPreviousHash("0".repeat(64))
                .setHash("c".repeat(64))
                .build();
    }

    /** The hour 10:00 of partner p-wide: three COMPLETED deposits of Long.MAX_VALUE. */
    public static WindowAggregate hour() {
        WindowFigures figures = new WindowFigures();
        long start = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        for (int i = 0; i < 3; i++) {
            Movement m = new Movement();
            m.scope = Movement.Scope.PARTNER;
            m.partnerId = "p-wide";
            m.currency = "EUR";
            m.accountId = "";
            m.transactionId = "wide-" + i;
            m.type = MovementType.DEPOSIT.name();
            m.status = "COMPLETED";
            m.amountMinor = Long.MAX_VALUE;
            m.eventTimeMillis = start + i;
            m.counterparties = new String[] {"acc-wide"};
            figures.add(m);
        }
        return new WindowAggregate(AggregateLevel.HOUR, start, start + 3_600_000, figures);
    }
}
