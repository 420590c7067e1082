package io.ledgerflow.jobs.ledger;

import static io.ledgerflow.avro.MovementType.CAPTURE;
import static io.ledgerflow.avro.MovementType.DEPOSIT;
import static io.ledgerflow.avro.MovementType.HOLD;
import static io.ledgerflow.avro.MovementType.TRANSFER;
import static io.ledgerflow.avro.MovementType.VOID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.testutils.LedgerInvariants;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partner's annotations (metadata and external reference) reach every result and ledger entry
 * of the movement that carries them, on every leg (the credit at the destination, the system
 * account's side, a compensation), and a HOLD's terminal result carries those of the movement that
 * ends it: the CAPTURE's or the VOID's, none when it expires.
 */
class LedgerAnnotationsTest {

    private static final Map<String, String> ORDER = Map.of("orderId", "o-1", "channel", "web");

    private LedgerHarness ledger;

    @BeforeEach
    void setUp() throws Exception {
        ledger = new LedgerHarness();
        ledger.open("alice", "EUR", 0);
        ledger.open("bob", "EUR", 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        LedgerInvariants.assertLedgerConsistent(ledger.entries());
        ledger.close();
    }

    private MoneyMovement annotated(
            MoneyMovement.Builder m, Map<String, String> metadata, String ref) {
        return m.setMetadata(metadata).setExternalReference(ref).build();
    }

    private List<LedgerEntry> entriesOf(String transactionId) {
        return ledger.entries().stream()
                .filter(e -> e.getTransactionId().equals(transactionId))
                .toList();
    }

    @Test
    void aDepositAndATransferCarryTheirAnnotationsToEveryResultAndEntry() throws Exception {
        MoneyMovement deposit =
                annotated(
                        ledger.movement(DEPOSIT, 10_000).setDestinationAccountId("alice"),
                        Map.of("source", "bank-wire"),
                        "WIRE-77");
        MoneyMovement transfer =
                annotated(
                        ledger.movement(TRANSFER, 2_500)
                                .setSourceAccountId("alice")
                                .setDestinationAccountId("bob"),
                        ORDER,
                        "INV-2026-0042");

        TransactionResult deposited = ledger.applyOne(deposit);
        TransactionResult transferred = ledger.applyOne(transfer);

        assertThat(deposited.getMetadata()).isEqualTo(Map.of("source", "bank-wire"));
        assertThat(deposited.getExternalReference()).isEqualTo("WIRE-77");
        assertThat(transferred.getStatus()).isEqualTo(TransactionStatus.COMPLETED);
        assertThat(transferred.getMetadata()).isEqualTo(ORDER);
        assertThat(transferred.getExternalReference()).isEqualTo("INV-2026-0042");
        // Both legs of each: the customer accounts and the system account of the deposit.
        assertThat(entriesOf(deposit.getTransactionId()))
                .hasSize(2)
                .allSatisfy(
                        e -> {
                            assertThat(e.getMetadata()).isEqualTo(Map.of("source", "bank-wire"));
                            assertThat(e.getExternalReference()).isEqualTo("WIRE-77");
                        });
        assertThat(entriesOf(transfer.getTransactionId()))
                .extracting(LedgerEntry::getAccountId)
                .containsExactlyInAnyOrder("alice", "bob");
        assertThat(entriesOf(transfer.getTransactionId()))
                .allSatisfy(
                        e -> {
                            assertThat(e.getMetadata()).isEqualTo(ORDER);
                            assertThat(e.getExternalReference()).isEqualTo("INV-2026-0042");
                        });
    }

    @Test
    void theAnnotationsAreOutsideTheEntryHash() throws Exception {
        ledger.applyOne(
                annotated(
                        ledger.movement(DEPOSIT, 100).setDestinationAccountId("alice"),
                        ORDER,
                        "INV-1"));
        LedgerEntry entry = entriesOf(ledger.entries().get(0).getTransactionId()).get(0);
        LedgerEntry bare =
                LedgerEntry.newBuilder(entry)
                        .setMetadata(Map.of())
                        .setExternalReference(null)
                        .build();

        assertThat(LedgerEntryHash.of(bare)).isEqualTo(entry.getHash());
        assertThat(LedgerEntryHash.of(entry)).isEqualTo(entry.getHash());
    }

    @Test
    void aCompensatedTransferCarriesItsAnnotationsOnTheReversal() throws Exception {
        ledger.applyOne(ledger.movement(DEPOSIT, 10_000).setDestinationAccountId("alice").build());
        ledger.open("dollar", "USD", 0);
        MoneyMovement transfer =
                annotated(
                        ledger.movement(TRANSFER, 1_000)
                                .setSourceAccountId("alice")
                                .setDestinationAccountId("dollar"),
                        ORDER,
                        "INV-9");

        TransactionResult refused = ledger.applyOne(transfer);

        assertThat(refused.getStatus()).isEqualTo(TransactionStatus.REJECTED);
        assertThat(refused.getMetadata()).isEqualTo(ORDER);
        assertThat(refused.getExternalReference()).isEqualTo("INV-9");
        assertThat(entriesOf(transfer.getTransactionId()))
                .hasSize(2)
                .anyMatch(LedgerEntry::getReversal)
                .allSatisfy(e -> assertThat(e.getMetadata()).isEqualTo(ORDER))
                .allSatisfy(e -> assertThat(e.getExternalReference()).isEqualTo("INV-9"));
    }

    @Test
    void aHoldEndsWithTheAnnotationsOfWhatEndsIt() throws Exception {
        ledger.applyOne(ledger.movement(DEPOSIT, 10_000).setDestinationAccountId("alice").build());
        MoneyMovement hold =
                annotated(
                        ledger.movement(HOLD, 3_000)
                                .setSourceAccountId("alice")
                                .setDestinationAccountId("bob"),
                        Map.of("stage", "authorised"),
                        "AUTH-1");
        MoneyMovement capture =
                annotated(
                        ledger.movement(CAPTURE, 2_000)
                                .setSourceAccountId("alice")
                                .setRelatedTransactionId(hold.getTransactionId()),
                        Map.of("stage", "captured"),
                        "CAP-1");
        MoneyMovement secondHold =
                annotated(
                        ledger.movement(HOLD, 1_000).setSourceAccountId("alice"),
                        Map.of("stage", "authorised"),
                        "AUTH-2");
        MoneyMovement voiding =
                annotated(
                        ledger.movement(VOID, 0)
                                .setSourceAccountId("alice")
                                .setRelatedTransactionId(secondHold.getTransactionId()),
                        Map.of("stage", "cancelled"),
                        null);

        TransactionResult held = ledger.applyOne(hold);
        List<TransactionResult> captured = ledger.apply(capture);
        ledger.applyOne(secondHold);
        List<TransactionResult> voided = ledger.apply(voiding);

        assertThat(held.getMetadata()).isEqualTo(Map.of("stage", "authorised"));
        assertThat(held.getExternalReference()).isEqualTo("AUTH-1");
        assertThat(captured)
                .extracting(TransactionResult::getStatus)
                .containsExactlyInAnyOrder(TransactionStatus.CAPTURED, TransactionStatus.COMPLETED);
        assertThat(captured)
                .allSatisfy(
                        r -> {
                            assertThat(r.getMetadata()).isEqualTo(Map.of("stage", "captured"));
                            assertThat(r.getExternalReference()).isEqualTo("CAP-1");
                        });
        assertThat(entriesOf(capture.getTransactionId()))
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.getExternalReference()).isEqualTo("CAP-1"));
        assertThat(voided)
                .extracting(TransactionResult::getStatus)
                .containsExactlyInAnyOrder(TransactionStatus.VOIDED, TransactionStatus.COMPLETED);
        assertThat(voided)
                .allSatisfy(
                        r -> {
                            assertThat(r.getMetadata()).isEqualTo(Map.of("stage", "cancelled"));
                            assertThat(r.getExternalReference()).isNull();
                        });
    }

    @Test
    void anExpiredHoldCarriesNoAnnotations() throws Exception {
        ledger.applyOne(ledger.movement(DEPOSIT, 10_000).setDestinationAccountId("alice").build());
        MoneyMovement hold =
                annotated(
                        ledger.movement(HOLD, 3_000).setSourceAccountId("alice"),
                        Map.of("stage", "authorised"),
                        "AUTH-3");
        ledger.applyOne(hold);

        List<TransactionResult> expired =
                ledger.advanceTo(1_000_000L + LedgerHarness.HOLD_EXPIRY.toMillis());

        assertThat(expired).singleElement();
        TransactionResult result = expired.get(0);
        assertThat(result.getTransactionId()).isEqualTo(hold.getTransactionId());
        assertThat(result.getStatus()).isEqualTo(TransactionStatus.EXPIRED);
        assertThat(result.getMetadata()).isEmpty();
        assertThat(result.getExternalReference()).isNull();
    }
}
