package io.ledgerflow.ingest.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.IngestApiConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notifier's and the API's webhook settings: defaults, and refusals that name the variable. */
class NotifierConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        NotifierConfig c =
                NotifierConfig.from(
                        Map.of("LEDGERFLOW_NOTIFIER_JDBC_URL", "jdbc:postgresql://db/x"));
        assertThat(c.group()).isEqualTo("ledgerflow-notifier");
        assertThat(c.startFrom()).isEqualTo("earliest");
        assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.backoffBase()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.backoffMax()).isEqualTo(Duration.ofHours(1));
        assertThat(c.endpointConcurrency()).isEqualTo(16);
        assertThat(c.runLength()).isEqualTo(50);
        assertThat(c.maxInFlight()).isEqualTo(512);
        assertThat(c.maxBacklog()).isEqualTo(100_000);
        assertThat(c.metricsMaxPartners()).isEqualTo(2000);
        assertThat(c.webhooks().retryPeriod()).isEqualTo(Duration.ofHours(24));
        assertThat(c.webhooks().retention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.webhooks().urlPolicy()).isEqualTo(EndpointUrls.Policy.PRODUCTION);
        assertThat(c.webhooks().developmentKey()).isTrue();
        assertThat(c.webhooks().toString())
                .doesNotContain(WebhookSettings.DEVELOPMENT_SECRETS_KEY.reveal());
    }

    @Test
    void badValuesFailTheStartNamingTheVariable() {
        assertThatThrownBy(
                        () ->
                                NotifierConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_WEBHOOK_URL_POLICY", "lax",
                                                "LEDGERFLOW_WEBHOOK_SECRETS_KEY", "c2hvcnQ=",
                                                "LEDGERFLOW_NOTIFIER_START_FROM", "middle")))
                .hasMessageContaining("LEDGERFLOW_WEBHOOK_URL_POLICY")
                .hasMessageContaining("LEDGERFLOW_WEBHOOK_SECRETS_KEY")
                .hasMessageContaining("LEDGERFLOW_NOTIFIER_START_FROM")
                .hasMessageNotContaining("c2hvcnQ=");
    }

    @Test
    void theApiReadsTheSameWebhookSettings() {
        IngestApiConfig api =
                IngestApiConfig.from(
                        Map.of(
                                "LEDGERFLOW_WEBHOOK_URL_POLICY", "staging",
                                "LEDGERFLOW_EVENT_RETENTION", "3d",
                                "LEDGERFLOW_EVENT_STREAM_POLL", "1s"));
        assertThat(api.webhooks().urlPolicy()).isEqualTo(EndpointUrls.Policy.STAGING);
        assertThat(api.webhooks().retention()).isEqualTo(Duration.ofDays(3));
        assertThat(api.eventStreamPoll()).isEqualTo(Duration.ofSeconds(1));
        assertThat(api.maxEventStreams()).isEqualTo(1000);
    }
}
