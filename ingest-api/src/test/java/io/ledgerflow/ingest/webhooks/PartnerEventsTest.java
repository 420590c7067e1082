package io.ledgerflow.ingest.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which results make which events, and ids that depend on what was decided only. */
class PartnerEventsTest {

    private static TransactionResult result(MovementType type, TransactionStatus status) {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        return TransactionResult.newBuilder()
                .setTransactionId("tx-1")
                .setPartnerId("p1")
                .setType(type)
                .setStatus(status)
                .setSourceAccountId("src")
                .setDestinationAccountId("dst")
                .setAmountMinor(150)
                .setCurrency("JPY")
                .setEventTime(t)
                .setReceivedTime(t)
                .setDecisionTime(t)
                .setMetadata(Map.of("b", "2", "a", "1"))
                .build();
    }

    @Test
    void eachStatusMakesItsEventType() {
        assertThat(PartnerEvents.of(result(MovementType.TRANSFER, TransactionStatus.COMPLETED)))
                .get()
                .extracting(PartnerEvent::type)
                .isEqualTo("transaction.completed");
        assertThat(PartnerEvents.of(result(MovementType.REFUND, TransactionStatus.COMPLETED)))
                .get()
                .extracting(PartnerEvent::type)
                .isEqualTo("refund.completed");
        assertThat(PartnerEvents.of(result(MovementType.REFUND, TransactionStatus.REJECTED)))
                .get()
                .extracting(PartnerEvent::type)
                .isEqualTo("transaction.rejected");
        assertThat(PartnerEvents.of(result(MovementType.HOLD, TransactionStatus.EXPIRED)))
                .get()
                .extracting(PartnerEvent::type)
                .isEqualTo("hold.expired");
        assertThat(PartnerEvents.of(result(MovementType.VOID, TransactionStatus.COMPLETED)))
                .isEmpty();
    }

    @Test
    void theIdIsStableAndDependsOnPartnerTransactionAndStatusOnly() {
        PartnerEvent once =
                PartnerEvents.of(result(MovementType.HOLD, TransactionStatus.HELD)).get();
        PartnerEvent again =
                PartnerEvents.of(result(MovementType.HOLD, TransactionStatus.HELD)).get();
        PartnerEvent captured =
                PartnerEvents.of(result(MovementType.HOLD, TransactionStatus.CAPTURED)).get();
        assertThat(once.eventId()).isEqualTo(again.eventId()).matches("evt_[0-9a-f]{32}");
        assertThat(once.body()).isEqualTo(again.body());
        assertThat(captured.eventId()).isNotEqualTo(once.eventId());
        // Length-prefixed: moving a character between fields changes the id.
        assertThat(PartnerEvents.eventId("transaction", "ab", "c", "HELD"))
                .isNotEqualTo(PartnerEvents.eventId("transaction", "a", "bc", "HELD"));
        assertThat(once.orderKey()).isEqualTo("src");
    }

    @Test
    void theBodyCarriesTheDecisionInTheApisTerms() {
        String body =
                PartnerEvents.of(result(MovementType.TRANSFER, TransactionStatus.COMPLETED))
                        .get()
                        .body();
        assertThat(body)
                .startsWith("{\"id\":\"evt_")
                .contains("\"type\":\"transaction.completed\"")
                .contains("\"amount\":\"150\"")
                .contains("\"metadata\":{\"a\":\"1\",\"b\":\"2\"}")
                .contains("\"decidedAt\":\"2026-12-07T10:00:00Z\"");
    }

    @Test
    void onlyAcceptedLifecycleCommandsMakeAccountEvents() {
        AccountCommandResult.Builder b =
                AccountCommandResult.newBuilder()
                        .setCommandId("c1")
                        .setPartnerId("p1")
                        .setAccountId("acc")
                        .setDecisionTime(Instant.EPOCH);
        assertThat(PartnerEvents.of(b.setType(AccountCommandType.FREEZE).setAccepted(true).build()))
                .get()
                .extracting(PartnerEvent::type)
                .isEqualTo("account.frozen");
        assertThat(
                        PartnerEvents.of(
                                b.setType(AccountCommandType.FREEZE).setAccepted(false).build()))
                .isEmpty();
        assertThat(
                        PartnerEvents.of(
                                b.setType(AccountCommandType.SET_OVERDRAFT_LIMIT)
                                        .setAccepted(true)
                                        .build()))
                .isEmpty();
    }
}
