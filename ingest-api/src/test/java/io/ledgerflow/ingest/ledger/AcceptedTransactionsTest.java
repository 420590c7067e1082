package io.ledgerflow.ingest.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.validation.MovementSubmission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AcceptedTransactionsTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();

    private static MovementSubmission transfer(String id, long amount) {
        return new MovementSubmission(
                id, MovementType.TRANSFER, "a", "b", null, amount, "USD", null, Map.of());
    }

    @Test
    void claimsRepeatsAndConflicts() {
        AcceptedTransactions accepted = new AcceptedTransactions(Duration.ofHours(1), 100, clock);
        AcceptedTransactions.Claim first = accepted.claim("p", transfer("t1", 100));
        assertThat(first).isInstanceOf(AcceptedTransactions.Claimed.class);
        assertThat(accepted.claim("p", transfer("t1", 100)))
                .isInstanceOf(AcceptedTransactions.Repeated.class);
        assertThat(accepted.claim("p", transfer("t1", 200)))
                .isInstanceOf(AcceptedTransactions.Conflicting.class);
        assertThat(accepted.claim("other", transfer("t1", 200)))
                .isInstanceOf(AcceptedTransactions.Claimed.class);
    }

    @Test
    void statusIsVisibleOnlyOnceAcceptedAndOnlyToItsPartner() {
        AcceptedTransactions accepted = new AcceptedTransactions(Duration.ofHours(1), 100, clock);
        AcceptedTransactions.Entry entry = accepted.claim("p", transfer("t1", 100)).entry();
        assertThat(accepted.find("p", "t1").join()).isEmpty();
        accepted.accepted(entry);
        assertThat(accepted.find("p", "t1").join())
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo("ACCEPTED"));
        assertThat(accepted.find("q", "t1").join()).isEmpty();
    }

    @Test
    void aFailedWriteReleasesTheId() {
        AcceptedTransactions accepted = new AcceptedTransactions(Duration.ofHours(1), 100, clock);
        AcceptedTransactions.Entry entry = accepted.claim("p", transfer("t1", 100)).entry();
        accepted.failed(entry, new RuntimeException("broker down"));
        assertThat(entry.accepted()).isCompletedExceptionally();
        assertThat(accepted.claim("p", transfer("t1", 999)))
                .isInstanceOf(AcceptedTransactions.Claimed.class);
        assertThat(accepted.size()).isEqualTo(1);
    }

    @Test
    void entriesExpireAfterTheTtl() {
        AcceptedTransactions accepted =
                new AcceptedTransactions(Duration.ofMinutes(10), 100, clock);
        accepted.accepted(accepted.claim("p", transfer("t1", 100)).entry());
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThat(accepted.find("p", "t1").join()).isEmpty();
        // Expired: the id may carry a new payload (the ledger still deduplicates by id).
        assertThat(accepted.claim("p", transfer("t1", 200)))
                .isInstanceOf(AcceptedTransactions.Claimed.class);
        assertThat(accepted.size()).isEqualTo(1);
    }

    @Test
    void theOldestGoWhenFull() {
        AcceptedTransactions accepted = new AcceptedTransactions(Duration.ofHours(1), 3, clock);
        for (int i = 0; i < 10; i++) {
            accepted.accepted(accepted.claim("p", transfer("t" + i, 100)).entry());
        }
        assertThat(accepted.size()).isEqualTo(3);
        assertThat(accepted.find("p", "t0").join()).isEmpty();
        assertThat(accepted.find("p", "t9").join()).isPresent();
    }

    @Test
    void manyIdsOverSeveralSegmentsKeepTheNewestUpToTheBound() {
        // 100,000 ids: several segments, each ring grown from its initial size.
        AcceptedTransactions accepted =
                new AcceptedTransactions(Duration.ofHours(1), 100_000, clock);
        for (int i = 0; i < 130_000; i++) {
            AcceptedTransactions.Claim claim = accepted.claim("p", transfer("t" + i, i + 1));
            assertThat(claim).isInstanceOf(AcceptedTransactions.Claimed.class);
            accepted.accepted(claim.entry());
        }
        // Segments share the bound: each keeps at most its share, so the total stays at or below.
        assertThat(accepted.size()).isBetween(95_000, 100_000);
        assertThat(accepted.find("p", "t0").join()).isEmpty();
        for (int i = 129_000; i < 130_000; i++) {
            assertThat(accepted.claim("p", transfer("t" + i, i + 1)))
                    .as("t%d, recently accepted", i)
                    .isInstanceOf(AcceptedTransactions.Repeated.class);
            assertThat(accepted.claim("p", transfer("t" + i, 1)))
                    .isInstanceOf(AcceptedTransactions.Conflicting.class);
        }
        assertThat(accepted.find("p", "t129999").join())
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.amountMinor()).isEqualTo(130_000);
                            assertThat(r.currency()).isEqualTo("USD");
                            assertThat(r.type()).isEqualTo(MovementType.TRANSFER);
                            assertThat(r.acceptedAt()).isEqualTo(clock.now);
                        });
    }

    @Test
    void concurrentClaimsOfOneIdProduceOnceAndAllSeeTheOneOutcome() throws Exception {
        AcceptedTransactions accepted = new AcceptedTransactions(Duration.ofHours(1), 100, clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                String id = "t" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<AcceptedTransactions.Claim>> claims = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    claims.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        AcceptedTransactions.Claim claim =
                                                accepted.claim("p", transfer(id, 100));
                                        if (claim instanceof AcceptedTransactions.Claimed) {
                                            accepted.accepted(claim.entry());
                                        }
                                        return claim;
                                    }));
                }
                start.countDown();
                int claimed = 0;
                for (Future<AcceptedTransactions.Claim> claim : claims) {
                    AcceptedTransactions.Claim c = claim.get();
                    if (c instanceof AcceptedTransactions.Claimed) {
                        claimed++;
                    } else {
                        assertThat(c).isInstanceOf(AcceptedTransactions.Repeated.class);
                    }
                    assertThat(c.entry().accepted().get()).isEqualTo(clock.now);
                }
                assertThat(claimed).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
