package io.ledgerflow.ingest.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.webhooks.NotifierMetrics.PartnerBacklog;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notifier's meters as Prometheus shows them, and the cap on partner labels. */
class NotifierMetricsTest {

    @Test
    void countsAttemptsLagAndParkedDeliveriesByPartner() {
        NotifierMetrics metrics = new NotifierMetrics(10);
        metrics.attempt("acme", "retry");
        metrics.attempt("acme", "delivered");
        metrics.delivered("acme", Duration.ofMillis(300));
        metrics.attempt("acme", "parked");
        metrics.parked("acme");

        String text = metrics.scrape();

        assertThat(text)
                .contains("webhook_delivery_attempts_total{outcome=\"retry\",partner=\"acme\"} 1.0")
                .contains(
                        "webhook_delivery_attempts_total{outcome=\"delivered\",partner=\"acme\"} 1.0")
                .contains("webhook_deliveries_failed_total{partner=\"acme\"} 1.0")
                .contains("webhook_delivery_lag_seconds_bucket{partner=\"acme\",le=\"0.1\"} 0")
                .contains("webhook_delivery_lag_seconds_bucket{partner=\"acme\",le=\"0.5\"} 1")
                .contains("webhook_delivery_lag_seconds_count{partner=\"acme\"} 1");
    }

    @Test
    void partnersBeyondTheCapShareOneLabel() {
        NotifierMetrics metrics = new NotifierMetrics(2);
        for (int p = 0; p < 5; p++) {
            metrics.attempt("partner-" + p, "delivered");
            metrics.delivered("partner-" + p, Duration.ofSeconds(2));
        }
        metrics.parked("partner-4");

        String text = metrics.scrape();

        assertThat(text)
                .contains(
                        "webhook_delivery_attempts_total{outcome=\"delivered\",partner=\"partner-1\"} 1.0")
                .contains(
                        "webhook_delivery_attempts_total{outcome=\"delivered\",partner=\"_other\"} 3.0")
                .contains("webhook_delivery_lag_seconds_count{partner=\"_other\"} 3")
                .contains("webhook_deliveries_failed_total{partner=\"_other\"} 1.0")
                .doesNotContain("partner=\"partner-2\"")
                .doesNotContain("partner=\"partner-4\"");
        // Lag series per partner: 8 buckets with +Inf, count, sum, max.
        assertThat(
                        text.lines()
                                .filter(l -> l.startsWith("webhook_delivery_lag_seconds"))
                                .filter(l -> l.contains("partner=\"partner-0\""))
                                .count())
                .isEqualTo(11);
    }

    @Test
    void backlogBeyondTheCapAddsUpAndADrainedBacklogReadsZero() {
        NotifierMetrics metrics = new NotifierMetrics(1);
        metrics.backlog(
                Map.of(
                        "first", new PartnerBacklog(4, 30),
                        "second", new PartnerBacklog(10, 600),
                        "third", new PartnerBacklog(5, 90)));

        String text = metrics.scrape();

        // Which partner got the one label depends on map order; the sums do not.
        long ownLabels =
                java.util.stream.Stream.of("first", "second", "third")
                        .filter(p -> text.contains("partner=\"" + p + "\""))
                        .count();
        assertThat(ownLabels).isEqualTo(1);
        assertThat(metrics.backlogLabels()).hasSize(2).contains("_other");
        assertThat(
                        gauge(text, "webhook_backlog_deliveries", "_other")
                                + gauge(text, "webhook_backlog_deliveries", own(metrics)))
                .isEqualTo(19.0);
        assertThat(
                        Math.max(
                                gauge(text, "webhook_backlog_oldest_age_seconds", "_other"),
                                gauge(text, "webhook_backlog_oldest_age_seconds", own(metrics))))
                .isEqualTo(600.0);

        metrics.backlog(Map.of());

        String drained = metrics.scrape();
        assertThat(gauge(drained, "webhook_backlog_deliveries", "_other")).isZero();
        assertThat(gauge(drained, "webhook_backlog_oldest_age_seconds", "_other")).isZero();
        assertThat(gauge(drained, "webhook_backlog_deliveries", own(metrics))).isZero();
    }

    private static String own(NotifierMetrics metrics) {
        return metrics.backlogLabels().stream()
                .filter(l -> !l.equals("_other"))
                .findFirst()
                .orElseThrow();
    }

    private static double gauge(String text, String name, String partner) {
        String prefix = name + "{partner=\"" + partner + "\"} ";
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "in\n" + text));
    }
}
