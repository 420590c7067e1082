package io.ledgerflow.readmodel.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeeRuleTest {

    private static FeeRule rule(int bp, long fixed, Long min, Long max) {
        return new FeeRule("CAPTURE", "USD", bp, fixed, min, max);
    }

    @Test
    void thePercentagePartRoundsHalfToEven() {
        // 1005 * 2.9 % = 29.145 -> 29
        assertThat(rule(290, 0, null, null).feeFor(1005)).isEqualTo(29);
        // 1050 * 2.5 % = 26.25 -> 26; 1070 * 2.5 % = 26.75 -> 27
        assertThat(rule(250, 0, null, null).feeFor(1050)).isEqualTo(26);
        assertThat(rule(250, 0, null, null).feeFor(1070)).isEqualTo(27);
        // Exact halves go to the even neighbour: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4
        assertThat(rule(5000, 0, null, null).feeFor(1)).isEqualTo(0);
        assertThat(rule(5000, 0, null, null).feeFor(3)).isEqualTo(2);
        assertThat(rule(5000, 0, null, null).feeFor(5)).isEqualTo(2);
        assertThat(rule(5000, 0, null, null).feeFor(7)).isEqualTo(4);
        // 250 * 0.1 % = 0.25 -> 0 ; 15000 * 0.1 % = 15 exactly
        assertThat(rule(10, 0, null, null).feeFor(250)).isEqualTo(0);
        assertThat(rule(10, 0, null, null).feeFor(15000)).isEqualTo(15);
    }

    @Test
    void theFixedPartIsAddedAfterRoundingThenTheSumIsClamped() {
        // 2.9 % + 30: 10000 -> 290 + 30 = 320
        assertThat(rule(290, 30, null, null).feeFor(10_000)).isEqualTo(320);
        // min 50: 1000 -> 29 + 0 = 29 -> 50
        assertThat(rule(290, 0, 50L, null).feeFor(1000)).isEqualTo(50);
        // max 500: 100000 -> 2900 + 30 -> 500
        assertThat(rule(290, 30, 50L, 500L).feeFor(100_000)).isEqualTo(500);
        // Within the bounds: untouched. 3333 * 1.5 % = 49.995 -> 50, + 25 = 75
        assertThat(rule(150, 25, 50L, 500L).feeFor(3333)).isEqualTo(75);
    }

    @Test
    void noOverflowForTheLargestAmounts() {
        assertThat(rule(10_000, 0, null, null).feeFor(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(rule(1, 0, null, null).feeFor(Long.MAX_VALUE))
                .isEqualTo(922_337_203_685_478L); // 922337203685477.5807 -> rounds up
    }

    @Test
    void refusesRulesThatMakeNoSense() {
        assertThatThrownBy(() -> rule(10_001, 0, null, null))
                .hasMessageContaining("percentBp must be 0 to 10000");
        assertThatThrownBy(() -> rule(100, -1, null, null))
                .hasMessageContaining("fixedMinor must be 0 or more");
        assertThatThrownBy(() -> rule(100, 0, 10L, 5L))
                .hasMessageContaining("minMinor must not exceed maxMinor");
        assertThatThrownBy(() -> new FeeRule("CAPTURE", "usd", 1, 0, null, null))
                .hasMessageContaining("currency");
    }
}
