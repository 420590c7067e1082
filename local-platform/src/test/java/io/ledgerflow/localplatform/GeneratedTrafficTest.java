package io.ledgerflow.localplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.MovementStream;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** What the local run's figure lines rest on: which movements are whose, and the time of day. */
class GeneratedTrafficTest {

    @Test
    void theOpeningDepositsAreToldApartFromTheLoadsMovements() {
        GeneratedTraffic traffic = new GeneratedTraffic(20);
        String runId = "local-abc";
        var deposits = traffic.population.openingDeposits(runId);
        // One per account: the partners' accounts and their SETTLEMENT accounts.
        assertTrue(traffic.population.settlementAccounts().size() >= GeneratedTraffic.PARTNERS);
        assertEquals(
                GeneratedTraffic.PARTNERS * GeneratedTraffic.ACCOUNTS_PER_PARTNER
                        + traffic.population.settlementAccounts().size(),
                deposits.size());
        deposits.forEach(
                d ->
                        assertTrue(
                                GeneratedTraffic.isOpeningDeposit(d.transactionId()),
                                d.toString()));
        MovementStream load = new MovementStream(traffic.population, runId);
        for (int i = 0; i < 5_000; i++) {
            Movement m = load.next();
            assertFalse(GeneratedTraffic.isOpeningDeposit(m.transactionId()), m.toString());
        }
    }

    @Test
    void linesKeepTheirSecondsOnTheMinute() {
        assertEquals("[20:33:00]", LocalPlatform.time(LocalTime.of(20, 33)));
        assertEquals("[09:05:07]", LocalPlatform.time(LocalTime.of(9, 5, 7, 999_000_000)));
    }
}
