package io.ledgerflow.testdata.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ledgerflow.avro.MovementType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MovementStreamTest {

    private static final GeneratorSettings SETTINGS =
            GeneratorSettings.defaults().withPopulation(200, 5);

    private static List<Movement> take(GeneratorSettings settings, String runId, int n) {
        MovementStream stream = new MovementStream(Population.generate(settings), runId);
        List<Movement> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(stream.next());
        }
        return out;
    }

    @Test
    void sameSeedSameStreamOtherSeedOtherStream() {
        assertThat(take(SETTINGS, "r", 5_000)).isEqualTo(take(SETTINGS, "r", 5_000));
        List<Movement> other = take(SETTINGS.withSeed(7), "r", 5_000);
        List<Movement> mine = take(SETTINGS, "r", 5_000);
        long same = 0;
        for (int i = 0; i < mine.size(); i++) {
            if (mine.get(i).amountMinor() == other.get(i).amountMinor()) {
                same++;
            }
        }
        assertThat(same).as("amounts equal by chance").isLessThan(250);
    }

    @Test
    void settlementAccountsOnlyReceiveExceptRefundsOfWhatTheyReceived() {
        GeneratorSettings settings = SETTINGS.toBuilder().settlementAccounts(true).build();
        Set<String> settlement = new HashSet<>();
        Population.generate(settings).settlementAccounts().forEach(a -> settlement.add(a.id()));
        int received = 0;
        for (Movement m : take(settings, "r", 20_000)) {
            if (m.destinationAccountId() != null
                    && settlement.contains(m.destinationAccountId())
                    && m.invalidity() == null) {
                received++;
            }
            if (m.sourceAccountId() != null
                    && settlement.contains(m.sourceAccountId())
                    && m.invalidity() == null) {
                // Money leaves a settlement account only by refunding a transfer it received.
                assertThat(m.type()).as(m.toString()).isIn(MovementType.REFUND);
            }
        }
        // The hot-account draw reaches them as sources too, turned into payments to them.
        assertThat(received).isGreaterThan(1_000);
    }

    @Test
    void idsAreTheRunsSequence() {
        List<Movement> movements = take(SETTINGS, "run7", 1_000);
        for (int i = 0; i < movements.size(); i++) {
            assertThat(movements.get(i).transactionId()).isEqualTo("run7-" + (i + 1));
        }
    }

    @Test
    void sharesOfKindsInvalidAndFraudAreAsConfigured() {
        GeneratorSettings settings =
                SETTINGS.toBuilder().invalidShare(0.05).fraudShare(0.05).build();
        int n = 60_000;
        List<Movement> movements = take(settings, "r", n);
        Map<MovementType, Integer> byType = new EnumMap<>(MovementType.class);
        int invalid = 0;
        int fraud = 0;
        for (Movement m : movements) {
            if (m.isInvalid()) {
                invalid++;
            } else {
                byType.merge(m.type(), 1, Integer::sum);
            }
            if (m.fraudPattern() != null) {
                fraud++;
            }
        }
        assertThat(invalid / (double) n).as("invalid share").isCloseTo(0.05, within(0.005));
        assertThat(fraud / (double) n).as("fraud share").isCloseTo(0.05, within(0.015));
        assertThat(byType.get(MovementType.HOLD) / (double) n)
                .as("hold share (closers and episodes take some slots)")
                .isBetween(0.035, 0.055);
        assertThat(byType.get(MovementType.TRANSFER) / (double) n).isGreaterThan(0.6);
        assertThat(byType).containsKeys(MovementType.values());
        Set<FraudPattern> patterns = new HashSet<>();
        movements.forEach(m -> patterns.add(m.fraudPattern()));
        assertThat(patterns).contains(FraudPattern.values());
    }

    @Test
    void invalidMovementsCarryTheirBreakageInTheFields() {
        List<Movement> movements = take(SETTINGS.toBuilder().invalidShare(0.2).build(), "r", 5_000);
        Map<Invalidity, Movement> example = new HashMap<>();
        movements.stream().filter(Movement::isInvalid).forEach(m -> example.put(m.invalidity(), m));
        assertThat(example).containsKeys(Invalidity.values());
        Movement same = example.get(Invalidity.SAME_ACCOUNT);
        assertThat(same.sourceAccountId()).isEqualTo(same.destinationAccountId());
        assertThat(example.get(Invalidity.MISSING_SOURCE).sourceAccountId()).isNull();
    }

    @Test
    void movementsStayInsideOnePartnersCurrencyGroup() {
        Population population = Population.generate(SETTINGS);
        Map<String, Account> accounts = new HashMap<>();
        population.accounts().forEach(a -> accounts.put(a.id(), a));
        MovementStream stream = new MovementStream(population, "r");
        for (int i = 0; i < 20_000; i++) {
            Movement m = stream.next();
            if (m.isInvalid()) {
                continue;
            }
            for (String id : new String[] {m.sourceAccountId(), m.destinationAccountId()}) {
                if (id != null) {
                    Account a = accounts.get(id);
                    assertThat(a.partnerId()).isEqualTo(m.partnerId());
                    assertThat(a.currency()).isEqualTo(m.currency());
                }
            }
            if (m.sourceAccountId() != null && m.destinationAccountId() != null) {
                assertThat(m.sourceAccountId()).isNotEqualTo(m.destinationAccountId());
            }
        }
    }

    @Test
    void everyHoldIsCapturedOrVoidedAndRefundsNameEarlierTransfers() {
        MovementStream stream = new MovementStream(Population.generate(SETTINGS), "r");
        List<Movement> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            all.add(stream.next());
        }
        all.addAll(stream.drainPending());
        Map<String, Movement> byId = new HashMap<>();
        Set<String> holds = new HashSet<>();
        Set<String> closed = new HashSet<>();
        for (Movement m : all) {
            switch (m.type()) {
                case HOLD -> holds.add(m.transactionId());
                case CAPTURE, VOID -> {
                    Movement hold = byId.get(m.relatedTransactionId());
                    assertThat(hold).as("closer after its hold").isNotNull();
                    assertThat(hold.type()).isEqualTo(MovementType.HOLD);
                    assertThat(m.sourceAccountId()).isEqualTo(hold.sourceAccountId());
                    assertThat(m.amountMinor()).isLessThanOrEqualTo(hold.amountMinor());
                    assertThat(closed.add(m.relatedTransactionId())).as("closed once").isTrue();
                }
                case REFUND -> {
                    Movement original = byId.get(m.relatedTransactionId());
                    assertThat(original.type()).isEqualTo(MovementType.TRANSFER);
                    assertThat(m.sourceAccountId()).isEqualTo(original.destinationAccountId());
                    assertThat(m.destinationAccountId()).isEqualTo(original.sourceAccountId());
                    assertThat(m.amountMinor()).isLessThanOrEqualTo(original.amountMinor());
                }
                default -> {}
            }
            byId.put(m.transactionId(), m);
        }
        assertThat(holds).isNotEmpty();
        assertThat(closed).isEqualTo(holds);
    }

    @Test
    void activityIsSkewedTowardsHotAccounts() {
        Population population = Population.generate(SETTINGS);
        MovementStream stream = new MovementStream(population, "r");
        Map<String, Integer> bySource = new HashMap<>();
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            Movement m = stream.next();
            bySource.merge(m.routingAccountId(), 1, Integer::sum);
        }
        List<Integer> counts = new ArrayList<>(bySource.values());
        counts.sort((a, b) -> b - a);
        int top10 = counts.subList(0, 10).stream().mapToInt(Integer::intValue).sum();
        // 10 of 1,000 accounts (1%) carry far more than 1% of the traffic.
        assertThat(top10 / (double) n).isGreaterThan(0.25);
    }

    @Test
    void simulatedEventTimesAdvanceFromTheStart() {
        Instant start = Instant.parse("2026-11-20T00:00:00Z");
        GeneratorSettings simulated = SETTINGS.toBuilder().simulatedTime(start, 5).build();
        List<Movement> movements = take(simulated, "r", 2_000);
        Instant previous = start;
        for (Movement m : movements) {
            assertThat(m.eventTime()).isAfterOrEqualTo(previous);
            previous = m.eventTime();
        }
        assertThat(take(SETTINGS, "r", 10)).allMatch(m -> m.eventTime() == null);
    }
}
