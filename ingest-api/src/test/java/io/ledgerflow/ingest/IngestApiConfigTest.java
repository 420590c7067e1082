package io.ledgerflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestApiConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        IngestApiConfig config = IngestApiConfig.from(Map.of());
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(config.maxBatchBodyBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(config.maxBatchItems()).isEqualTo(1000);
        assertThat(config.validation().maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.validation().maxPastAge()).isEqualTo(Duration.ofDays(30));
        assertThat(config.apiKeysFile()).isEmpty();
        assertThat(config.topic()).isEqualTo("ledger.requests");
    }

    @Test
    void readsVariables() {
        IngestApiConfig config =
                IngestApiConfig.from(
                        Map.of(
                                "LEDGERFLOW_HTTP_PORT", "9090",
                                "LEDGERFLOW_API_KEYS_FILE", "/etc/ledgerflow/keys",
                                "LEDGERFLOW_MAX_PAST_AGE_DAYS", "7"));
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.apiKeysFile()).contains(Path.of("/etc/ledgerflow/keys"));
        assertThat(config.validation().maxPastAge()).isEqualTo(Duration.ofDays(7));
        assertThat(config.withPort(1234).httpPort()).isEqualTo(1234);
        assertThat(config.withTopic("it-ledger.requests").topic()).isEqualTo("it-ledger.requests");
        assertThat(config.withTopic("it-ledger.requests").httpPort()).isEqualTo(9090);
    }

    @Test
    void malformedNumbersFailAtStart() {
        assertThatThrownBy(() -> IngestApiConfig.from(Map.of("LEDGERFLOW_HTTP_PORT", "eighty")))
                .hasMessageContaining("LEDGERFLOW_HTTP_PORT");
        assertThatThrownBy(() -> IngestApiConfig.from(Map.of("LEDGERFLOW_MAX_BATCH_ITEMS", "-1")))
                .hasMessageContaining("LEDGERFLOW_MAX_BATCH_ITEMS");
    }
}
