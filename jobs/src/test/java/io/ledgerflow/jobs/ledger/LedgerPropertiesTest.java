package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.testutils.LedgerInvariants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated scripts of extreme and random requests against the ledger's rules: every movement type,
 * amounts from 1 to {@link Long#MAX_VALUE} (the extremes favoured), long runs into one account,
 * accounts that never open, lifecycle commands and overdraft limit changes in between, holds with
 * their own expiry, and instructions held back in flight so that legs race each other. Whatever the
 * script, every request is decided exactly once, no rule throws (no {@code INTERNAL_ERROR}), no
 * account passes its overdraft, and the ledger balances.
 */
class LedgerPropertiesTest {

    private static final long MAX = Long.MAX_VALUE;
    private static final List<String> ACCOUNTS = List.of("a", "b", "c", "ghost");

    /** One step of a script. */
    enum Kind {
        MOVE,
        HOLD_LOOP,
        RELEASE_LOOP,
        FREEZE,
        UNFREEZE,
        CLOSE,
        SET_LIMIT
    }

    record Step(
            Kind kind,
            MovementType type,
            String from,
            String to,
            long amount,
            int related,
            boolean repeat) {}

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Kind> kinds =
                Arbitraries.frequencyOf(
                        Tuple.of(20, Arbitraries.just(Kind.MOVE)),
                        Tuple.of(2, Arbitraries.just(Kind.HOLD_LOOP)),
                        Tuple.of(2, Arbitraries.just(Kind.RELEASE_LOOP)),
                        Tuple.of(1, Arbitraries.of(Kind.FREEZE, Kind.UNFREEZE, Kind.CLOSE)),
                        Tuple.of(2, Arbitraries.just(Kind.SET_LIMIT)));
        Arbitrary<Long> amounts =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                1L, MAX, MAX - 1, MAX / 2, MAX / 2 + 1, 1_000_000_000_000_000L),
                        Arbitraries.longs().between(1, MAX),
                        Arbitraries.longs().between(1, 10_000));
        Arbitrary<Step> step =
                Combinators.combine(
                                kinds,
                                Arbitraries.of(MovementType.class),
                                Arbitraries.of(ACCOUNTS),
                                Arbitraries.of(ACCOUNTS),
                                amounts,
                                Arbitraries.integers().between(0, 1_000),
                                Arbitraries.integers().between(0, 9).map(n -> n == 0))
                        .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 150)
    void everyRequestIsDecidedOnceAndTheLedgerBalances(@ForAll("scripts") List<Step> script)
            throws Exception {
        try (LedgerHarness ledger =
                new LedgerHarness(
                        new LedgerFunction(
                                LedgerHarness.HOLD_EXPIRY,
                                Duration.ofDays(90),
                                Duration.ofDays(1),
                                2))) {
            ledger.open("a", "EUR", 0);
            ledger.open("b", "EUR", 1_000);
            ledger.open("c", "EUR", MAX);
            List<String> ids = new ArrayList<>();
            Set<String> decidedByTheGate = new HashSet<>();
            for (Step step : script) {
                switch (step.kind()) {
                    case HOLD_LOOP -> ledger.holdInstructions();
                    case RELEASE_LOOP -> ledger.releaseInstructions();
                    case FREEZE -> command(ledger, step.from(), AccountCommandType.FREEZE);
                    case UNFREEZE -> command(ledger, step.from(), AccountCommandType.UNFREEZE);
                    case CLOSE -> command(ledger, step.from(), AccountCommandType.CLOSE);
                    // Raised or lowered (refused below what is in use), from 0 to Long.MAX_VALUE.
                    case SET_LIMIT ->
                            ledger.command(
                                    step.from(),
                                    AccountCommandType.SET_OVERDRAFT_LIMIT,
                                    "EUR",
                                    step.repeat() ? 0 : step.amount());
                    case MOVE -> {
                        MoneyMovement m = movement(ledger, step, ids);
                        ids.add(m.getTransactionId());
                        if (MovementShape.check(m) != null) {
                            decidedByTheGate.add(m.getTransactionId()); // refused before the ledger
                            continue;
                        }
                        int times = step.repeat() ? 2 : 1; // a run into the same account
                        for (int i = 0; i < times; i++) {
                            MoneyMovement sent =
                                    i == 0
                                            ? m
                                            : MoneyMovement.newBuilder(m)
                                                    .setTransactionId(
                                                            m.getTransactionId() + "-again")
                                                    .build();
                            if (i > 0) {
                                ids.add(sent.getTransactionId());
                            }
                            ledger.apply(sent);
                        }
                    }
                }
            }
            // Let everything in flight land, every parked request's window pass (those decided then
            // may open holds) and every hold expire.
            ledger.releaseInstructions();
            ledger.advanceTo(
                    ledger.harness.getProcessingTime()
                            + LedgerFunction.DEFAULT_PARK_WINDOW.toMillis());
            ledger.releaseInstructions();
            ledger.advanceTo(1_000_000L + Duration.ofDays(2).toMillis());
            ledger.releaseInstructions();

            Set<String> atTheLedger = new HashSet<>(ids);
            atTheLedger.removeAll(decidedByTheGate);
            LedgerInvariants.assertExactlyOneTerminalResult(ledger.results(), atTheLedger);
            assertThat(ledger.results())
                    .extracting(TransactionResult::getReason)
                    .doesNotContain(ReasonCode.INTERNAL_ERROR);
            assertThat(ledger.deadLetters()).isEmpty();
            LedgerInvariants.assertLedgerConsistent(ledger.entries());
            for (AccountState s : ledger.states().values()) {
                if (s.getAccountType() != AccountType.SYSTEM) {
                    assertThat(s.getAvailableMinor())
                            .as("available on %s", s.getAccountId())
                            .isGreaterThanOrEqualTo(-s.getOverdraftLimitMinor());
                    assertThat(s.getHeldMinor()).isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    private static void command(LedgerHarness ledger, String account, AccountCommandType type)
            throws Exception {
        ledger.command(account, type, "EUR", 0);
    }

    /** A movement of the step's type; CAPTURE, VOID and REFUND name an earlier one (or none). */
    private static MoneyMovement movement(LedgerHarness ledger, Step step, List<String> ids) {
        MoneyMovement.Builder m = ledger.movement(step.type(), step.amount());
        String related =
                ids.isEmpty() || step.related() % 7 == 0
                        ? "unknown-" + step.related()
                        : ids.get(step.related() % ids.size());
        switch (step.type()) {
            case TRANSFER -> m.setSourceAccountId(step.from()).setDestinationAccountId(step.to());
            case DEPOSIT -> m.setDestinationAccountId(step.to());
            case WITHDRAWAL -> m.setSourceAccountId(step.from());
            case HOLD -> {
                m.setSourceAccountId(step.from());
                if (step.related() % 5 == 0) {
                    // Its own expiry, up to about 17 minutes; the rest keep the default.
                    m.setHoldExpiresInMillis(step.related() * 1_000L + 1);
                }
                if (step.related() % 2 == 0) {
                    m.setDestinationAccountId(step.to());
                }
            }
            case CAPTURE -> {
                m.setSourceAccountId(step.from()).setRelatedTransactionId(related);
                if (step.related() % 3 == 0) {
                    m.setDestinationAccountId(step.to());
                }
            }
            case VOID -> m.setSourceAccountId(step.from()).setRelatedTransactionId(related);
            case REFUND ->
                    m.setSourceAccountId(step.from())
                            .setDestinationAccountId(step.to())
                            .setRelatedTransactionId(related);
        }
        return m.build();
    }
}
