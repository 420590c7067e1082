package io.ledgerflow.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.dashboards.testutils.GrafanaClickHouseMacros;
import io.ledgerflow.dashboards.testutils.GrafanaClickHouseMacros.Selection;
import io.ledgerflow.dashboards.testutils.GrafanaClickHouseMacros.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expander the panel tests rely on does what Grafana and the ClickHouse plugin do. */
class GrafanaClickHouseMacrosTest {

    private static final Selection ALL =
            new Selection(
                    Instant.parse("2026-11-21T00:00:00Z"),
                    Instant.parse("2026-11-22T00:00:00.500Z"),
                    Duration.ofMinutes(5),
                    Map.of(
                            "partner", Variable.all(List.of("p1", "p2")),
                            "level", Variable.of("1h")));

    @Test
    void timeMacrosUseTheRangeInSecondsOrMilliseconds() {
        assertThat(GrafanaClickHouseMacros.expand("$__timeFilter(window_start)", ALL))
                .isEqualTo(
                        "window_start >= toDateTime(1795219200) AND window_start <="
                                + " toDateTime(1795305600)");
        assertThat(GrafanaClickHouseMacros.expand("$__timeFilter_ms(t)", ALL))
                .isEqualTo(
                        "t >= fromUnixTimestamp64Milli(1795219200000) AND t <="
                                + " fromUnixTimestamp64Milli(1795305600500)");
        assertThat(GrafanaClickHouseMacros.expand("$__dateFilter(d)", ALL))
                .isEqualTo("d >= toDate('2026-11-21') AND d <= toDate('2026-11-22')");
        assertThat(GrafanaClickHouseMacros.expand("$__fromTime, $__toTime_ms", ALL))
                .isEqualTo("toDateTime(1795219200), fromUnixTimestamp64Milli(1795305600500)");
        assertThat(GrafanaClickHouseMacros.expand("$__timeInterval(detected_time)", ALL))
                .isEqualTo("toStartOfInterval(toDateTime(detected_time), INTERVAL 300 second)");
        assertThat(GrafanaClickHouseMacros.expand("$__interval_s", ALL)).isEqualTo("300");
    }

    @Test
    void conditionalAllDropsTheConditionWhenAllIsSelected() {
        String sql =
                "WHERE $__conditionalAll(partner_id IN (${partner:singlequote}), $partner)"
                        + " AND level = '${level}'";
        assertThat(GrafanaClickHouseMacros.expand(sql, ALL))
                .isEqualTo("WHERE 1=1 AND level = '1h'");
        assertThat(
                        GrafanaClickHouseMacros.expand(
                                sql, ALL.with("partner", Variable.of("p1", "o'brien"))))
                .isEqualTo("WHERE partner_id IN ('p1','o\\'brien') AND level = '1h'");
    }

    @Test
    void allWithoutAConditionStandsForEveryOption() {
        assertThat(GrafanaClickHouseMacros.expand("IN (${partner:singlequote})", ALL))
                .isEqualTo("IN ('p1','p2')");
        assertThat(GrafanaClickHouseMacros.expand("IN ($partner)", ALL))
                .isEqualTo("IN ('p1','p2')");
        assertThat(GrafanaClickHouseMacros.expand("= '$level'", ALL)).isEqualTo("= '1h'");
        assertThat(
                        GrafanaClickHouseMacros.expand(
                                "IN (${partner:sqlstring})",
                                ALL.with("partner", Variable.of("o'b"))))
                .isEqualTo("IN ('o''b')");
    }

    @Test
    void whatGrafanaWouldNotExpandIsRefused() {
        assertThatThrownBy(() -> GrafanaClickHouseMacros.expand("$__timeFilterr(t)", ALL))
                .hasMessageContaining("unknown macro");
        assertThatThrownBy(() -> GrafanaClickHouseMacros.expand("$currency", ALL))
                .hasMessageContaining("no value for variable $currency");
        assertThatThrownBy(() -> GrafanaClickHouseMacros.expand("${partner:csv}", ALL))
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> GrafanaClickHouseMacros.expand("$__timeFilter(a, b)", ALL))
                .hasMessageContaining("takes one argument");
    }
}
