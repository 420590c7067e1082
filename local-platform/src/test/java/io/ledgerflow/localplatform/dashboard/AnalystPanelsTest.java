package io.ledgerflow.localplatform.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AnalystPanelsTest {

    @Test
    void everyPanelThePageDrawsIsOnTheGrafanaDashboardAndFullyExpanded() throws Exception {
        AnalystPanels panels = new AnalystPanels("jdbc:clickhouse://127.0.0.1:1/ledgerflow");
        assertEquals(AnalystPanels.TITLES, panels.sql().keySet().stream().toList());
        panels.sql()
                .forEach(
                        (title, sql) ->
                                assertFalse(
                                        sql.contains("$"), title + " still has a macro: " + sql));
    }

    @Test
    void expandsAsGrafanaDoesForAllTheWindowLevelAndTheLastHour() {
        assertEquals(
                "SELECT sum(movements) FROM window_aggregates FINAL WHERE level = '1m'"
                        + " AND window_start >= now() - INTERVAL 1 HOUR AND 1=1 AND 1=1",
                AnalystPanels.expand(
                        "SELECT sum(movements) FROM window_aggregates FINAL WHERE level ="
                                + " '${level}' AND $__timeFilter(window_start)"
                                + " AND $__conditionalAll(partner_id IN (${partner:singlequote}),"
                                + " $partner) AND $__conditionalAll(currency IN"
                                + " (${currency:singlequote}), $currency)"));
        assertEquals(
                "SELECT toStartOfInterval(toDateTime(detected_time), INTERVAL 60 second) AS time",
                AnalystPanels.expand("SELECT $__timeInterval(detected_time) AS time"));
    }

    @Test
    void refusesAMacroItDoesNotKnow() {
        assertThrows(
                IllegalStateException.class,
                () -> AnalystPanels.expand("SELECT 1 WHERE $__dateFilter(day)"));
    }
}
