package io.ledgerflow.testdata.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionIdSetTest {

    @Test
    void holdsTheRunsIdsAsRangesAndRoundTrips() {
        TransactionIdSet set = new TransactionIdSet("run-7");
        for (int n = 1; n <= 1_000; n++) {
            if (n != 500) {
                set.add("run-7-" + n);
            }
        }
        set.add("run-7-open-1");
        set.add("run-7-open-2");
        set.add("foreign-id");
        assertThat(set.size()).isEqualTo(999 + 2 + 1);
        assertThat(set.contains("run-7-499")).isTrue();
        assertThat(set.contains("run-7-500")).isFalse();
        assertThat(set.contains("run-7-open-2")).isTrue();
        assertThat(set.contains("run-7-open-3")).isFalse();
        assertThat(set.contains("foreign-id")).isTrue();
        assertThat(set.contains("run-8-1")).isFalse();
        assertThat(set.encode()).isEqualTo("m:1-499,501-1000;d:1-2;x:foreign-id");

        TransactionIdSet back = TransactionIdSet.decode("run-7", set.encode());
        List<String> ids = new ArrayList<>();
        back.forEach(ids::add);
        assertThat(ids)
                .hasSize(1_002)
                .startsWith("run-7-1", "run-7-2")
                .endsWith("run-7-open-2", "foreign-id");
        assertThat(back.encode()).isEqualTo(set.encode());
    }

    @Test
    void anEmptySetEncodesAndDecodes() {
        TransactionIdSet empty = TransactionIdSet.decode("r", new TransactionIdSet("r").encode());
        assertThat(empty.size()).isZero();
    }

    @Test
    void aMillionIdsTakeAFewCharacters() {
        TransactionIdSet set = new TransactionIdSet("r");
        for (int n = 1; n <= 1_000_000; n++) {
            set.add("r-" + n);
        }
        assertThat(set.encode()).isEqualTo("m:1-1000000;d:;x:");
    }
}
