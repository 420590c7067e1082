package io.ledgerflow.localplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerflow.ingest.settlement.FeeScheduleRequest;
import io.ledgerflow.readmodel.settlement.FeeRule;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import io.ledgerflow.settlement.SettlementConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The local run's settlement settings: the first period ends a few minutes after the start (by the
 * read model's own calendar), and what is sent to the admin API and the command is accepted by
 * their own parsers.
 */
class LocalSettlementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFirstPeriodEndsAfterTheLeadRoundedUpToAMinute() {
        Duration lead = Duration.ofMinutes(3);
        assertEquals(
                LocalTime.of(20, 37),
                LocalSettlement.firstCutoff(Instant.parse("2026-12-07T20:33:10Z"), lead));
        assertEquals(
                LocalTime.of(20, 36),
                LocalSettlement.firstCutoff(Instant.parse("2026-12-07T20:33:00Z"), lead));
        assertEquals(
                LocalTime.of(0, 2),
                LocalSettlement.firstCutoff(Instant.parse("2026-12-07T23:58:30Z"), lead));
    }

    @Test
    void theFirstCloseIsTheCalendarsFirstPeriodEndPlusTheLateness() throws Exception {
        for (String at :
                List.of(
                        "2026-12-07T20:33:10Z",
                        "2026-12-07T20:58:30Z",
                        "2026-12-07T23:59:59Z",
                        "2026-12-07T00:00:00Z")) {
            Instant now = Instant.parse(at);
            LocalTime cutoff = LocalSettlement.firstCutoff(now, LocalSettlement.FIRST_CLOSE_LEAD);
            // The read model's calendar, with the settings the admin API stores from the body.
            SettlementCalendar calendar =
                    FeeScheduleRequest.settings(
                            JSON.readTree(LocalSettlement.settingsBody(cutoff)));
            assertEquals(
                    new SettlementCalendar(cutoff, ZoneId.of("UTC"), LocalSettlement.PERIOD_HOURS),
                    calendar);
            Instant end = calendar.periodOf(now).end();
            Duration untilEnd = Duration.between(now, end);
            assertTrue(untilEnd.compareTo(LocalSettlement.FIRST_CLOSE_LEAD) >= 0, at);
            assertTrue(
                    untilEnd.compareTo(LocalSettlement.FIRST_CLOSE_LEAD.plusMinutes(1)) <= 0, at);
            assertEquals(
                    end.plus(LocalSettlement.ALLOWED_LATENESS),
                    LocalSettlement.firstClose(now, cutoff),
                    at);
            // And the period after it is an hour long: batches every hour from then on.
            assertEquals(
                    end.plus(Duration.ofHours(1)), calendar.next(calendar.periodOf(now)).end());
        }
    }

    @Test
    void theFeeScheduleIsAcceptedByTheAdminApiAndChargesNonZeroFees() throws Exception {
        FeeScheduleRequest.Schedule schedule =
                FeeScheduleRequest.schedule(
                        JSON.readTree(LocalSettlement.feeScheduleBody(Set.of("EUR", "JPY"))));
        assertEquals(LocalSettlement.FEES_FROM, schedule.effectiveFrom());
        assertEquals(4, schedule.rules().size());
        FeeRule eurTransfer = rule(schedule, "TRANSFER", "EUR");
        // 2.9 % of 100.00 is 2.90, plus 0.30; the minimum and maximum bound small and large ones.
        assertEquals(320, eurTransfer.feeFor(10_000));
        assertEquals(50, eurTransfer.feeFor(100));
        assertEquals(2_500, eurTransfer.feeFor(1_000_000));
        // In JPY's whole yen, the fixed part is 30 yen.
        assertEquals(290 + 30, rule(schedule, "TRANSFER", "JPY").feeFor(10_000));
        assertEquals(100, rule(schedule, "DEPOSIT", "EUR").feeFor(10_000));
    }

    @Test
    void theCommandAcceptsItsLocalArguments() {
        List<String> args =
                LocalSettlement.arguments(
                        "127.0.0.1:9092",
                        "http://127.0.0.1:8081/apis/ccompat/v7",
                        "jdbc:postgresql://127.0.0.1:5432/ledgerflow",
                        "jdbc:clickhouse://127.0.0.1:8123");
        SettlementConfig config = SettlementConfig.fromArgs(args.toArray(String[]::new), Map.of());
        assertFalse(config.once());
        assertEquals(LocalSettlement.INTERVAL, config.interval());
        assertEquals(LocalSettlement.ALLOWED_LATENESS, config.allowedLateness());
        assertNotNull(config.clickHouse());
        assertEquals(RunningPlatform.ANALYTICS_DATABASE, config.clickHouse().database());
        assertEquals("platform-revenue-EUR", config.revenueAccount("EUR"));
        assertEquals(LocalSettlement.PLATFORM_PARTNER, config.platformPartner());
    }

    private static FeeRule rule(FeeScheduleRequest.Schedule schedule, String type, String cur) {
        return schedule.rules().stream()
                .filter(r -> r.movementType().equals(type) && r.currency().equals(cur))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + type + " " + cur));
    }
}
