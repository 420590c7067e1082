package io.ledgerflow.ingest.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.validation.MovementSubmission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
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
}
