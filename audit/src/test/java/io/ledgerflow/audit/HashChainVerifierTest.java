package io.ledgerflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.audit.ChainBreak.Kind;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.schemas.LedgerEntryHash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashChainVerifierTest {

    private static List<ChainBreak> verify(List<LedgerEntry> entries, boolean trustFirst) {
        HashChainVerifier verifier = new HashChainVerifier(trustFirst);
        entries.forEach(verifier::accept);
        assertThat(verifier.entries()).isEqualTo(entries.size());
        return verifier.breaks();
    }

    @Test
    void untouchedChainsOfEveryHashFormatHoldEvenInterleaved() {
        List<LedgerEntry> a = Chains.deposits("p1", "a", 5, LedgerEntryHash.JOINED_FORMAT);
        List<LedgerEntry> b = Chains.deposits("p1", "b", 5, LedgerEntryHash.CURRENT_FORMAT);
        List<LedgerEntry> interleaved = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            interleaved.add(a.get(i));
            interleaved.add(b.get(i));
        }
        assertThat(verify(interleaved, false)).isEmpty();
    }

    @Test
    void anAlteredEntryIsFoundAtItself() {
        List<LedgerEntry> chain = new ArrayList<>(Chains.deposits("p1", "a", 5, 2));
        chain.set(2, Chains.altered(chain.get(2), 1_000_000, false));
        assertThat(verify(chain, false))
                .singleElement()
                .satisfies(
                        b -> {
                            assertThat(b.kind()).isEqualTo(Kind.ALTERED_ENTRY);
                            assertThat(b.sequence()).isEqualTo(3);
                            assertThat(b.entry().getAmountMinor()).isEqualTo(1_000_000);
                            assertThat(b.describe()).contains("ALTERED_ENTRY at a#3", "1000000");
                        });
    }

    @Test
    void anAlteredEntryWithARecomputedHashBreaksTheNextLink() {
        List<LedgerEntry> chain = new ArrayList<>(Chains.deposits("p1", "a", 5, 2));
        chain.set(2, Chains.altered(chain.get(2), 1_000_000, true));
        assertThat(verify(chain, false))
                .singleElement()
                .satisfies(
                        b -> {
                            assertThat(b.kind()).isEqualTo(Kind.BROKEN_LINK);
                            assertThat(b.sequence()).isEqualTo(4);
                        });
    }

    @Test
    void aMissingEntryAMissingStartAndARepeatedEntryAreFound() {
        List<LedgerEntry> gap = new ArrayList<>(Chains.deposits("p1", "a", 5, 2));
        gap.remove(1);
        List<LedgerEntry> noStart = new ArrayList<>(Chains.deposits("p1", "b", 5, 2));
        noStart.remove(0);
        List<LedgerEntry> repeated = new ArrayList<>(Chains.deposits("p1", "c", 3, 2));
        repeated.add(2, repeated.get(1));
        List<LedgerEntry> all = new ArrayList<>(gap);
        all.addAll(noStart);
        all.addAll(repeated);
        assertThat(verify(all, false))
                .extracting(ChainBreak::kind, ChainBreak::accountId, ChainBreak::sequence)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple(Kind.MISSING_ENTRIES, "a", 3L),
                        org.assertj.core.api.Assertions.tuple(Kind.MISSING_START, "b", 2L),
                        org.assertj.core.api.Assertions.tuple(Kind.OUT_OF_ORDER, "c", 2L));
    }

    @Test
    void trustingTheFirstEntryStillChecksItsHashAndEveryLinkAfter() {
        List<LedgerEntry> tail = new ArrayList<>(Chains.deposits("p1", "a", 6, 2).subList(3, 6));
        assertThat(verify(tail, true)).isEmpty();
        tail.set(0, Chains.altered(tail.get(0), 7, false));
        assertThat(verify(tail, true))
                .singleElement()
                .extracting(ChainBreak::kind)
                .isEqualTo(Kind.ALTERED_ENTRY);
    }

    @Test
    void aNewerHashFormatIsReportedNotTakenForTampering() {
        LedgerEntry first = Chains.deposits("p1", "a", 1, 2).get(0);
        LedgerEntry future = LedgerEntry.newBuilder(first).setHashFormat(99).build();
        assertThat(verify(List.of(future), false))
                .singleElement()
                .extracting(ChainBreak::kind)
                .isEqualTo(Kind.UNKNOWN_FORMAT);
    }
}
