package io.ledgerflow.testdata.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadReportTest {

    private static LoadReport report() {
        Histogram micros = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1_000; i++) {
            micros.recordValue(i * 1_000L);
        }
        TreeMap<String, Long> errors = new TreeMap<>();
        errors.put("HTTP_400/INVALID_AMOUNT", 7L);
        errors.put("TIMEOUT", 1L);
        return new LoadReport(
                "http",
                "open-loop",
                1_000,
                0,
                1_000,
                992,
                8,
                1.0,
                1_000,
                LatencySummary.of(micros),
                LatencySummary.of(micros),
                errors);
    }

    @Test
    void percentilesComeFromTheHistogram() {
        LatencySummary l = report().latency();
        assertThat(l.count()).isEqualTo(1_000);
        assertThat(l.p50()).isBetween(499.0, 501.0);
        assertThat(l.p99()).isBetween(989.0, 991.0);
        assertThat(l.max()).isBetween(999.0, 1_001.0);
    }

    @Test
    void textNamesModeRatePercentilesAndErrorsByType() {
        String text = report().render();
        assertThat(text)
                .contains("Load report (http, open-loop at 1000/s)")
                .contains("sent 1000 in 1.0 s (1000.0/s): accepted 992, failed 8")
                .contains("from intended start (CO-corrected)")
                .contains("from actual send (service time)")
                .containsPattern("HTTP_400/INVALID_AMOUNT +7")
                .containsPattern("TIMEOUT +1");
    }

    @Test
    void jsonCarriesTheSameFigures() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report().toJson());
        assertThat(json.get("sent").asLong()).isEqualTo(1_000);
        assertThat(json.get("latency").get("p99").asDouble()).isBetween(989.0, 991.0);
        assertThat(json.get("errorsByType").get("TIMEOUT").asLong()).isEqualTo(1);
        assertThat(json.get("mode").asText()).isEqualTo("open-loop");
    }
}
