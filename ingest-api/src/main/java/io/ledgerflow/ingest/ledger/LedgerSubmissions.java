package io.ledgerflow.ingest.ledger;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.ingest.validation.MovementSubmission;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Submits validated movements: claims each transaction id in {@link AcceptedTransactions} (the
 * idempotency memory), writes the new ones to Kafka as {@link LedgerRequest}s, and reports an
 * outcome per movement once Kafka acknowledged or refused.
 */
public final class LedgerSubmissions {

    private final AcceptedTransactions accepted;
    private final LedgerRequestPublisher publisher;
    private final Clock clock;

    public LedgerSubmissions(
            AcceptedTransactions accepted, LedgerRequestPublisher publisher, Clock clock) {
        this.accepted = accepted;
        this.publisher = publisher;
        this.clock = clock;
    }

    public CompletableFuture<SubmissionOutcome> submit(
            String partnerId, MovementSubmission submission) {
        return submitAll(partnerId, List.of(submission)).get(0);
    }

    /** Outcomes in the order of {@code submissions}; all new ones go to Kafka in one hand-over. */
    public List<CompletableFuture<SubmissionOutcome>> submitAll(
            String partnerId, List<MovementSubmission> submissions) {
        List<CompletableFuture<SubmissionOutcome>> outcomes = new ArrayList<>(submissions.size());
        List<AcceptedTransactions.Entry> claimed = new ArrayList<>();
        List<LedgerRequestPublisher.KeyedRequest> requests = new ArrayList<>();
        Instant received = clock.instant();
        for (MovementSubmission submission : submissions) {
            AcceptedTransactions.Claim claim = accepted.claim(partnerId, submission);
            if (claim instanceof AcceptedTransactions.Claimed) {
                claimed.add(claim.entry());
                requests.add(
                        new LedgerRequestPublisher.KeyedRequest(
                                submission.ledgerKey(),
                                new LedgerRequest(toAvro(partnerId, submission, received))));
                outcomes.add(outcomeOf(claim.entry()));
            } else if (claim instanceof AcceptedTransactions.Repeated) {
                outcomes.add(outcomeOf(claim.entry()));
            } else {
                outcomes.add(
                        CompletableFuture.completedFuture(
                                new SubmissionOutcome.Conflict(submission.transactionId())));
            }
        }
        if (!requests.isEmpty()) {
            List<CompletableFuture<Void>> written;
            try {
                written = publisher.publishAll(requests);
            } catch (RuntimeException e) {
                // Release every claim: a pending claim nobody completes would hang duplicates.
                PublishException failure =
                        new PublishException(PublishException.Cause.KAFKA, e.getMessage(), e);
                claimed.forEach(entry -> accepted.failed(entry, failure));
                return outcomes;
            }
            for (int i = 0; i < written.size(); i++) {
                AcceptedTransactions.Entry entry = claimed.get(i);
                written.get(i)
                        .whenComplete(
                                (ok, error) -> {
                                    if (error == null) {
                                        accepted.accepted(entry);
                                    } else {
                                        accepted.failed(entry, unwrap(error));
                                    }
                                });
            }
        }
        return outcomes;
    }

    /** The outcome of whichever request wrote the entry (this one, or the first of a repeat). */
    private static CompletableFuture<SubmissionOutcome> outcomeOf(
            AcceptedTransactions.Entry entry) {
        String id = entry.transactionId();
        return entry.accepted()
                .handle(
                        (at, error) -> {
                            if (error == null) {
                                return new SubmissionOutcome.Accepted(id, at);
                            }
                            Throwable cause = unwrap(error);
                            return new SubmissionOutcome.Unavailable(
                                    id,
                                    cause instanceof PublishException p
                                            ? p.unavailable()
                                            : PublishException.Cause.KAFKA);
                        });
    }

    static MoneyMovement toAvro(String partnerId, MovementSubmission s, Instant received) {
        return MoneyMovement.newBuilder()
                .setTransactionId(s.transactionId())
                .setPartnerId(partnerId)
                .setType(s.type())
                .setSourceAccountId(s.sourceAccountId())
                .setDestinationAccountId(s.destinationAccountId())
                .setRelatedTransactionId(s.relatedTransactionId())
                .setAmountMinor(s.amountMinor())
                .setCurrency(s.currency())
                .setEventTime(s.eventTime() == null ? received : s.eventTime())
                .setReceivedTime(received)
                .setMetadata(new java.util.HashMap<>(s.metadata()))
                .setHoldExpiresInMillis(s.holdExpiresInMillis())
                .setExternalReference(s.externalReference())
                .build();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
    }
}
