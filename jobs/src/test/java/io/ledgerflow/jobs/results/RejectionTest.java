package io.ledgerflow.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A refusal before any account (admission's shape check, a fraud rule that blocks) answers with the
 * movement's annotations like every other result, sharing its metadata rather than copying it.
 */
class RejectionTest {

    @Test
    void aRefusalCarriesTheMovementsMetadataAndReference() {
        MoneyMovement m =
                MoneyMovement.newBuilder()
                        .setTransactionId("t-1")
                        .setPartnerId("p-1")
                        .setType(MovementType.TRANSFER)
                        .setSourceAccountId("a")
                        .setDestinationAccountId("b")
                        .setAmountMinor(100)
                        .setCurrency("EUR")
                        .setEventTime(Instant.ofEpochMilli(1))
                        .setReceivedTime(Instant.ofEpochMilli(2))
                        .setMetadata(Map.of("orderId", "o-1"))
                        .setExternalReference("INV-1")
                        .build();

        TransactionResult r =
                Rejection.of(ReasonCode.FRAUD_SUSPECTED, "blocked")
                        .resultFor(m, Instant.ofEpochMilli(3));

        assertThat(r.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(r.getMetadata()).isSameAs(m.getMetadata());
        assertThat(r.getExternalReference()).isEqualTo("INV-1");
    }
}
