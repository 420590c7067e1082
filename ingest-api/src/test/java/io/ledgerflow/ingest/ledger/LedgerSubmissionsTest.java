package io.ledgerflow.ingest.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.testutils.RecordingPublisher;
import io.ledgerflow.ingest.validation.MovementSubmission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerSubmissionsTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final LedgerSubmissions submissions =
            new LedgerSubmissions(
                    new AcceptedTransactions(Duration.ofHours(1), 100, clock), publisher, clock);

    @Test
    void writesAMoneyMovementKeyedByTheFirstAccountWithThePartnerFromTheKey() {
        MovementSubmission deposit =
                new MovementSubmission(
                        "d-1",
                        MovementType.DEPOSIT,
                        null,
                        "acc-9",
                        null,
                        500,
                        "EUR",
                        null,
                        Map.of("r", "x"));

        SubmissionOutcome outcome = submissions.submit("partner-a", deposit).join();

        assertThat(outcome).isInstanceOf(SubmissionOutcome.Accepted.class);
        assertThat(publisher.published()).hasSize(1);
        LedgerRequestPublisher.KeyedRequest written = publisher.published().get(0);
        assertThat(written.key()).isEqualTo("acc-9");
        MoneyMovement movement = (MoneyMovement) written.request().getRequest();
        assertThat(movement.getPartnerId()).isEqualTo("partner-a");
        assertThat(movement.getAmountMinor()).isEqualTo(500);
        // No eventTime given: the time of acceptance.
        assertThat(movement.getEventTime()).isEqualTo(NOW);
        assertThat(movement.getReceivedTime()).isEqualTo(NOW);
        assertThat(movement.getMetadata()).containsEntry("r", "x");
        assertThat(movement.getExternalReference()).isNull();
    }

    @Test
    void theExternalReferenceIsWrittenAndAnotherOneIsAnotherPayload() {
        MovementSubmission withReference =
                new MovementSubmission(
                        "d-2",
                        MovementType.DEPOSIT,
                        null,
                        "acc-9",
                        null,
                        500,
                        "EUR",
                        null,
                        Map.of(),
                        null,
                        "INV-1");
        MovementSubmission otherReference =
                new MovementSubmission(
                        "d-2",
                        MovementType.DEPOSIT,
                        null,
                        "acc-9",
                        null,
                        500,
                        "EUR",
                        null,
                        Map.of(),
                        null,
                        "INV-2");

        assertThat(submissions.submit("p", withReference).join())
                .isInstanceOf(SubmissionOutcome.Accepted.class);
        assertThat(submissions.submit("p", otherReference).join())
                .isInstanceOf(SubmissionOutcome.Conflict.class);
        MoneyMovement movement =
                (MoneyMovement) publisher.published().get(0).request().getRequest();
        assertThat(movement.getExternalReference()).isEqualTo("INV-1");
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void aBatchWritesEachNewIdOnce() {
        MovementSubmission a =
                new MovementSubmission(
                        "t", MovementType.WITHDRAWAL, "s", null, null, 1, "USD", null, Map.of());
        MovementSubmission conflicting =
                new MovementSubmission(
                        "t", MovementType.WITHDRAWAL, "s", null, null, 2, "USD", null, Map.of());

        List<SubmissionOutcome> outcomes =
                submissions.submitAll("p", List.of(a, a, conflicting)).stream()
                        .map(f -> f.join())
                        .toList();

        assertThat(outcomes.get(0)).isInstanceOf(SubmissionOutcome.Accepted.class);
        assertThat(outcomes.get(1)).isInstanceOf(SubmissionOutcome.Accepted.class);
        assertThat(outcomes.get(2)).isInstanceOf(SubmissionOutcome.Conflict.class);
        assertThat(publisher.published()).hasSize(1);
    }
}
