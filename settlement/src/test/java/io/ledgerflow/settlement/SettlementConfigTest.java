package io.ledgerflow.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettlementConfigTest {

    @Test
    void defaultsSettleWithTheAggregatesLatenessAndNoAnalyticsCopy() {
        SettlementConfig c = SettlementConfig.fromArgs(new String[0], Map.of());
        assertThat(c.allowedLateness()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.platformPartner()).isEqualTo("platform");
        assertThat(c.revenueAccount("EUR")).isEqualTo("platform-revenue-EUR");
        assertThat(c.once()).isFalse();
        assertThat(c.clickHouse()).isNull();
    }

    @Test
    void readsEverySetting() {
        SettlementConfig c =
                SettlementConfig.fromArgs(
                        new String[] {
                            "--allowed-lateness", "1h",
                            "--platform-partner", "ops",
                            "--revenue-account-prefix", "fees-",
                            "--once", "true",
                            "--clickhouse-url", "jdbc:clickhouse://ch:8123",
                            "--topic-prefix", "x-"
                        },
                        Map.of());
        assertThat(c.allowedLateness()).isEqualTo(Duration.ofHours(1));
        assertThat(c.revenueAccount("USD")).isEqualTo("fees-USD");
        assertThat(c.platformPartner()).isEqualTo("ops");
        assertThat(c.once()).isTrue();
        assertThat(c.clickHouse().url()).isEqualTo("jdbc:clickhouse://ch:8123");
        assertThat(c.clickHouse().database()).isEqualTo("ledgerflow");
        assertThat(c.kafka().topic("ledger.requests")).isEqualTo("x-ledger.requests");
    }

    @Test
    void namesEveryWrongSetting() {
        assertThatThrownBy(
                        () ->
                                SettlementConfig.fromArgs(
                                        new String[] {
                                            "--allowed-lateness", "soon",
                                            "--platform-partner", "bad partner",
                                            "--onse", "true"
                                        },
                                        Map.of()))
                .hasMessageContaining("--allowed-lateness")
                .hasMessageContaining("--platform-partner")
                .hasMessageContaining("--onse");
    }
}
