package io.ledgerflow.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.http.ErrorCode;
import org.junit.jupiter.api.Test;

/** Per-partner meters as Prometheus shows them, and the cap on partner labels. */
class PartnerMetricsTest {

    @Test
    void countsEachPartnersAnswersByOutcome() {
        IngestMetrics metrics = new IngestMetrics(10);
        metrics.partnerRequest("acme", 202, null, 3_000_000);
        metrics.partnerRequest("acme", 400, ErrorCode.INVALID_AMOUNT, 1_000_000);
        metrics.partnerRequest("acme", 429, ErrorCode.RATE_LIMITED, 100_000);
        metrics.partners().throttled("acme", "movements");
        metrics.partners().movementsAccepted("acme", 7);

        String text = metrics.render();

        assertThat(text)
                .contains("ingest_partner_requests_accepted_total{partner=\"acme\"} 1.0")
                .contains("ingest_partner_movements_accepted_total{partner=\"acme\"} 7.0")
                .contains(
                        "ingest_partner_requests_refused_total{code=\"INVALID_AMOUNT\",partner=\"acme\"} 1.0")
                .contains(
                        "ingest_partner_requests_throttled_total{limit=\"movements\",partner=\"acme\"} 1.0")
                .contains(
                        "ingest_partner_requests_throttled_total{limit=\"requests\",partner=\"acme\"} 0.0")
                .contains("ingest_partner_request_duration_seconds_count{partner=\"acme\"} 3")
                .contains(
                        "ingest_partner_request_duration_seconds_bucket{partner=\"acme\",le=\"0.0025\"} 2")
                .doesNotContain("code=\"RATE_LIMITED\"");
    }

    @Test
    void partnersBeyondTheCapShareOneLabel() {
        IngestMetrics metrics = new IngestMetrics(3);
        for (int p = 0; p < 10; p++) {
            metrics.partnerRequest("partner-" + p, 202, null, 1_000_000);
        }

        String text = metrics.render();

        assertThat(metrics.partners().labelledPartners()).isEqualTo(4);
        assertThat(text)
                .contains("ingest_partner_requests_accepted_total{partner=\"partner-2\"} 1.0")
                .contains("ingest_partner_requests_accepted_total{partner=\"_other\"} 7.0")
                .doesNotContain("partner=\"partner-3\"");
        // Latency series per partner: 7 buckets, count, sum, max.
        long latencySeries =
                text.lines()
                        .filter(l -> l.startsWith("ingest_partner_request_duration_seconds"))
                        .filter(l -> l.contains("partner=\"partner-0\""))
                        .count();
        assertThat(latencySeries).isEqualTo(10);
    }
}
