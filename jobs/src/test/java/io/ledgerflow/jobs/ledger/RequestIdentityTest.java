package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate's fingerprints must not change across versions: ids remembered in a savepoint are
 * compared with the fingerprints of their retries after an upgrade, and a change would turn every
 * retry of a request seen before the upgrade into a conflict (a dead letter instead of a drop).
 */
class RequestIdentityTest {

    private final RequestIdentity identity = new RequestIdentity();

    @Test
    void aMovementHashesAsBeforeItsNewFieldsExisted() {
        // Computed by the version before MoneyMovement.holdExpiresInMillis (commit dcb9f40).
        assertThat(identity.fingerprintOf(new LedgerRequest(hold().build())))
                .isEqualTo(-5210888749192943286L);
    }

    @Test
    void aHoldWithItsOwnExpiryHashesAsBeforeTheExternalReferenceExisted() {
        // Computed by the version before MoneyMovement.externalReference (commit 2b76623).
        assertThat(
                        identity.fingerprintOf(
                                new LedgerRequest(
                                        hold().setHoldExpiresInMillis(3_600_000L).build())))
                .isEqualTo(3905149841675752759L);
    }

    @Test
    void theExternalReferenceIsPartOfTheFingerprint() {
        long without = identity.fingerprintOf(new LedgerRequest(hold().build()));
        long withReference =
                identity.fingerprintOf(
                        new LedgerRequest(hold().setExternalReference("INV-1").build()));
        long otherReference =
                identity.fingerprintOf(
                        new LedgerRequest(hold().setExternalReference("INV-2").build()));
        long withBoth =
                identity.fingerprintOf(
                        new LedgerRequest(
                                hold().setHoldExpiresInMillis(3_600_000L)
                                        .setExternalReference("INV-1")
                                        .build()));

        assertThat(withReference).isNotEqualTo(without).isNotEqualTo(otherReference);
        assertThat(withBoth).isNotEqualTo(withReference).isNotEqualTo(3905149841675752759L);
    }

    @Test
    void aCommandHashesAsBefore() {
        AccountCommand freeze =
                AccountCommand.newBuilder()
                        .setCommandId("cmd-1")
                        .setPartnerId("p-1")
                        .setAccountId("acc-1")
                        .setType(AccountCommandType.FREEZE)
                        .setEventTime(Instant.parse("2026-12-01T10:00:00Z"))
                        .setReceivedTime(Instant.parse("2026-12-01T10:00:01Z"))
                        .build();
        assertThat(identity.fingerprintOf(new LedgerRequest(freeze)))
                .isEqualTo(832717018255746395L);
    }

    @Test
    void aHoldsOwnExpiryIsPartOfItsFingerprint() {
        long withoutExpiry = identity.fingerprintOf(new LedgerRequest(hold().build()));
        long oneHour =
                identity.fingerprintOf(
                        new LedgerRequest(hold().setHoldExpiresInMillis(3_600_000L).build()));
        long twoHours =
                identity.fingerprintOf(
                        new LedgerRequest(hold().setHoldExpiresInMillis(7_200_000L).build()));

        assertThat(oneHour).isNotEqualTo(withoutExpiry).isNotEqualTo(twoHours);
    }

    @Test
    void theReceivedTimeIsNotPartOfIt() {
        MoneyMovement first = hold().setHoldExpiresInMillis(60_000L).build();
        MoneyMovement retry =
                hold().setHoldExpiresInMillis(60_000L)
                        .setReceivedTime(Instant.parse("2026-12-01T11:00:00Z"))
                        .build();

        assertThat(identity.fingerprintOf(new LedgerRequest(retry)))
                .isEqualTo(identity.fingerprintOf(new LedgerRequest(first)));
        assertThat(first.getReceivedTime()).isEqualTo(Instant.parse("2026-12-01T10:00:01Z"));
    }

    private static MoneyMovement.Builder hold() {
        return MoneyMovement.newBuilder()
                .setTransactionId("tx-1")
                .setPartnerId("p-1")
                .setType(MovementType.HOLD)
                .setSourceAccountId("acc-1")
                .setDestinationAccountId("acc-2")
                .setAmountMinor(1234)
                .setCurrency("USD")
                .setEventTime(Instant.parse("2026-12-01T10:00:00Z"))
                .setReceivedTime(Instant.parse("2026-12-01T10:00:01Z"))
                .setMetadata(Map.of("reference", "r-1"));
    }
}
