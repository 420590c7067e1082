package io.ledgerflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The hash input of each format, against digests computed outside Java from the documented layout
 * (Python's hashlib over the joined string and over the length-prefixed bytes), so a change to
 * either layout fails here rather than silently forking every chain.
 */
class LedgerEntryHashTest {

    private static LedgerEntry entry(int format, String transactionId, String partnerId) {
        return LedgerEntry.newBuilder()
                .setAccountId("acc-1")
                .setSequence(3)
                .setTransactionId(transactionId)
                .setPartnerId(partnerId)
                .setMovementType(MovementType.TRANSFER)
                .setDirection(EntryDirection.DEBIT)
                .setAmountMinor(1250)
                .setCurrency("EUR")
                .setBalanceAfterMinor(-250)
                .setCounterpartyAccountId("acc-2")
                .setReversal(false)
                .setEventTime(Instant.ofEpochMilli(1_765_000_000_000L))
                .setPostedTime(Instant.ofEpochMilli(1_765_000_000_123L))
                .setPreviousHash(LedgerEntryHash.GENESIS)
                .setHash("")
                .setHashFormat(format)
                .build();
    }

    @Test
    void entriesWrittenBeforeTheFormatFieldKeepTheirJoinedHash() {
        // Records written with the schema before hashFormat existed read with its default, 1.
        assertThat(LedgerEntry.newBuilder(entry(2, "tx-1", "p-1")).clearHashFormat().build())
                .extracting(LedgerEntry::getHashFormat)
                .isEqualTo(LedgerEntryHash.JOINED_FORMAT);
        assertThat(LedgerEntryHash.of(entry(1, "tx|1", "p-1")))
                .isEqualTo("6cf3b00577fa9b22c88a4a894683e09b853657ad8ebed460ddc688ff5c3a6751");
    }

    @Test
    void theCurrentFormatLengthPrefixesEveryField() {
        assertThat(LedgerEntryHash.CURRENT_FORMAT)
                .isEqualTo(LedgerEntryHash.LENGTH_PREFIXED_FORMAT);
        assertThat(LedgerEntryHash.of(entry(2, "tx|1", "p-1")))
                .isEqualTo("6c9e78f93bce77e5c7886f446fa8ff26e9b325979ceb65fb6b71d5cb20bfe84c");
    }

    @Test
    void movingASeparatorBetweenFieldsChangesOnlyTheLengthPrefixedHash() {
        // Ids from direct Kafka producers may contain '|': in the joined input these two differ
        // only in which field holds the separator, and collide.
        LedgerEntry one = entry(1, "tx|1", "p-1");
        LedgerEntry other = entry(1, "tx", "1|p-1");
        assertThat(LedgerEntryHash.of(one)).isEqualTo(LedgerEntryHash.of(other));

        assertThat(LedgerEntryHash.of(entry(2, "tx|1", "p-1")))
                .isNotEqualTo(LedgerEntryHash.of(entry(2, "tx", "1|p-1")));
    }

    @Test
    void validityIsCheckedInTheEntrysOwnFormat() {
        LedgerEntry joined = entry(1, "tx-1", "p-1");
        joined.setHash(LedgerEntryHash.of(joined));
        LedgerEntry prefixed = entry(2, "tx-1", "p-1");
        prefixed.setHash(LedgerEntryHash.of(prefixed));
        assertThat(LedgerEntryHash.isValid(joined)).isTrue();
        assertThat(LedgerEntryHash.isValid(prefixed)).isTrue();
        assertThat(joined.getHash()).isNotEqualTo(prefixed.getHash());

        // Relabelling an entry's format does not keep it valid.
        prefixed.setHashFormat(1);
        assertThat(LedgerEntryHash.isValid(prefixed)).isFalse();
        prefixed.setHashFormat(2);
        prefixed.setAmountMinor(1251);
        assertThat(LedgerEntryHash.isValid(prefixed)).isFalse();
    }

    @Test
    void aFormatThisVerifierDoesNotKnowIsNeitherValidNorTampered() {
        assertThatThrownBy(() -> LedgerEntryHash.of(entry(3, "tx-1", "p-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("entry acc-1#3 has hash format 3, newer than this verifier knows");
    }
}
