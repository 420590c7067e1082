package io.ledgerflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.limits.PartnerLimits;
import io.ledgerflow.ingest.limits.RateLimitSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestApiConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        IngestApiConfig config = IngestApiConfig.from(Map.of());
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(config.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(config.maxBatchBodyBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(config.maxBatchItems()).isEqualTo(1000);
        assertThat(config.validation().maxAmountMinor()).isEqualTo(1_000_000_000_000_000L);
        assertThat(config.validation().maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.validation().maxPastAge()).isEqualTo(Duration.ofDays(30));
        assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(config.idempotencyMaxEntries()).isEqualTo(1_000_000);
        assertThat(config.maxAccounts()).isEqualTo(1_000_000);
        assertThat(config.kafkaLingerMs()).isEqualTo(2);
        assertThat(config.retryAfterSeconds()).isEqualTo(2);
        assertThat(config.apiKeysFile()).isEmpty();
        assertThat(config.topic()).isEqualTo("ledger.requests");
        assertThat(config.readModel()).isEmpty();
        assertThat(config.rateLimits().enabled()).isTrue();
        assertThat(config.rateLimits().defaults())
                .isEqualTo(new PartnerLimits(100, 200, 100, 1000));
        assertThat(config.rateLimits().heartbeat()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.rateLimits().liveness()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.rateLimits().metricsMaxPartners()).isEqualTo(2000);
        assertThat(config.rateLimits().instanceId()).isNotBlank();
    }

    @Test
    void readsTheRateLimitSettings() {
        RateLimitSettings limits =
                IngestApiConfig.from(
                                Map.of(
                                        "LEDGERFLOW_RATE_LIMITS_ENABLED", "false",
                                        "LEDGERFLOW_PARTNER_REQUEST_RATE", "5",
                                        "LEDGERFLOW_PARTNER_REQUEST_BURST", "6",
                                        "LEDGERFLOW_PARTNER_MOVEMENT_RATE", "7",
                                        "LEDGERFLOW_PARTNER_MOVEMENT_BURST", "8",
                                        "LEDGERFLOW_API_INSTANCE_ID", "api-0",
                                        "LEDGERFLOW_API_INSTANCE_HEARTBEAT", "500ms",
                                        "LEDGERFLOW_API_INSTANCE_LIVENESS", "2s",
                                        "LEDGERFLOW_PARTNER_METRIC_LABELS", "10"))
                        .rateLimits();
        assertThat(limits)
                .isEqualTo(
                        new RateLimitSettings(
                                false,
                                new PartnerLimits(5, 6, 7, 8),
                                "api-0",
                                Duration.ofMillis(500),
                                Duration.ofSeconds(2),
                                10));
    }

    @Test
    void refusesRateLimitsOutOfRange() {
        assertThatThrownBy(
                        () ->
                                IngestApiConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_PARTNER_REQUEST_RATE", "0",
                                                "LEDGERFLOW_API_INSTANCE_LIVENESS", "1s")))
                .hasMessageContaining("LEDGERFLOW_PARTNER_REQUEST_RATE")
                .hasMessageContaining("LEDGERFLOW_API_INSTANCE_LIVENESS");
    }

    @Test
    void partnersAsDataAndTheBootstrapAdminKey(@TempDir Path dir) throws Exception {
        assertThat(IngestApiConfig.from(Map.of()).partners()).isEmpty();
        Path keyFile = dir.resolve("bootstrap-key");
        Files.writeString(keyFile, "k".repeat(40) + "\n");
        IngestApiConfig config =
                IngestApiConfig.from(
                        Map.of(
                                "LEDGERFLOW_PARTNERS_JDBC_URL",
                                        "jdbc:postgresql://db:5432/ledgerflow",
                                "LEDGERFLOW_PARTNERS_USER", "ledgerflow_admin",
                                "LEDGERFLOW_PARTNERS_REFRESH", "500ms",
                                "LEDGERFLOW_BOOTSTRAP_ADMIN_KEY_FILE", keyFile.toString()));
        IngestApiConfig.PartnersSettings partners = config.partners().orElseThrow();
        assertThat(partners.database().url()).isEqualTo("jdbc:postgresql://db:5432/ledgerflow");
        assertThat(partners.database().user()).isEqualTo("ledgerflow_admin");
        assertThat(partners.refresh()).isEqualTo(Duration.ofMillis(500));
        assertThat(partners.migrate()).isTrue();
        assertThat(partners.bootstrapAdminKey().reveal()).isEqualTo("k".repeat(40));
        assertThat(partners.bootstrapAdminKey().toString()).doesNotContain("kkkk");
        assertThat(partners.platformPartnerId()).isEqualTo("platform");
    }

    @Test
    void refusesPartnerSettingsThatCannotWork() {
        String url = "jdbc:postgresql://db:5432/ledgerflow";
        assertThatThrownBy(
                        () ->
                                IngestApiConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_PARTNERS_JDBC_URL",
                                                url,
                                                "LEDGERFLOW_BOOTSTRAP_ADMIN_KEY",
                                                "short")))
                .hasMessageContaining("LEDGERFLOW_BOOTSTRAP_ADMIN_KEY");
        assertThatThrownBy(
                        () ->
                                IngestApiConfig.from(
                                        Map.of("LEDGERFLOW_BOOTSTRAP_ADMIN_KEY", "k".repeat(40))))
                .hasMessageContaining("LEDGERFLOW_PARTNERS_JDBC_URL");
        assertThatThrownBy(
                        () ->
                                IngestApiConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_PARTNERS_JDBC_URL",
                                                url,
                                                "LEDGERFLOW_PARTNERS_REFRESH",
                                                "5s")))
                .hasMessageContaining("LEDGERFLOW_PARTNERS_REFRESH");
    }

    @Test
    void readsEveryVariable() {
        IngestApiConfig config =
                IngestApiConfig.from(
                        Map.ofEntries(
                                Map.entry("LEDGERFLOW_HTTP_HOST", "127.0.0.1"),
                                Map.entry("LEDGERFLOW_HTTP_PORT", "9090"),
                                Map.entry("LEDGERFLOW_EVENT_LOOPS", "3"),
                                Map.entry("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
                                Map.entry("LEDGERFLOW_TOPIC_PREFIX", "it-"),
                                Map.entry("LEDGERFLOW_SCHEMA_REGISTRY_URL", "http://r:8080/x"),
                                Map.entry("LEDGERFLOW_API_KEYS_FILE", "/etc/ledgerflow/keys"),
                                Map.entry("LEDGERFLOW_MAX_BODY_BYTES", "1000"),
                                Map.entry("LEDGERFLOW_MAX_BATCH_BODY_BYTES", "2000"),
                                Map.entry("LEDGERFLOW_MAX_BATCH_ITEMS", "10"),
                                Map.entry("LEDGERFLOW_MAX_AMOUNT_MINOR", "100"),
                                Map.entry("LEDGERFLOW_MAX_FUTURE_SKEW", "30s"),
                                Map.entry("LEDGERFLOW_MAX_PAST_AGE", "7d"),
                                Map.entry("LEDGERFLOW_IDEMPOTENCY_TTL", "12h"),
                                Map.entry("LEDGERFLOW_IDEMPOTENCY_MAX_ENTRIES", "5"),
                                Map.entry("LEDGERFLOW_MAX_ACCOUNTS", "6"),
                                Map.entry("LEDGERFLOW_KAFKA_LINGER", "0s"),
                                Map.entry("LEDGERFLOW_RETRY_AFTER", "5s"),
                                Map.entry(
                                        "LEDGERFLOW_READ_MODEL_JDBC_URL", "jdbc:postgresql://db/x"),
                                Map.entry("LEDGERFLOW_READ_MODEL_USER", "api"),
                                Map.entry("LEDGERFLOW_READ_MODEL_PASSWORD", "pw"),
                                Map.entry("LEDGERFLOW_READ_MODEL_POOL_SIZE", "4"),
                                Map.entry("LEDGERFLOW_READ_MODEL_MAX_QUEUED", "0")));
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.eventLoops()).isEqualTo(3);
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.topic()).isEqualTo("it-ledger.requests");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://r:8080/x");
        assertThat(config.apiKeysFile()).contains(Path.of("/etc/ledgerflow/keys"));
        assertThat(config.maxBodyBytes()).isEqualTo(1000);
        assertThat(config.maxBatchBodyBytes()).isEqualTo(2000);
        assertThat(config.maxBatchItems()).isEqualTo(10);
        assertThat(config.validation().maxAmountMinor()).isEqualTo(100);
        assertThat(config.validation().maxFutureSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.validation().maxPastAge()).isEqualTo(Duration.ofDays(7));
        assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(config.idempotencyMaxEntries()).isEqualTo(5);
        assertThat(config.maxAccounts()).isEqualTo(6);
        assertThat(config.kafkaLingerMs()).isZero();
        assertThat(config.retryAfterSeconds()).isEqualTo(5);
        assertThat(config.readModel())
                .contains(
                        new IngestApiConfig.ReadModelSettings(
                                new PostgresSettings(
                                        "jdbc:postgresql://db/x", "api", Secret.of("pw")),
                                4,
                                0,
                                IngestApiConfig.ReadModelSettings.DEVELOPMENT_CURSOR_KEY));
    }

    @Test
    void theOlderNamesWithTheUnitInTheNameStillWork() {
        IngestApiConfig config =
                IngestApiConfig.from(
                        Map.of(
                                "LEDGERFLOW_MAX_FUTURE_SKEW_SECONDS", "300",
                                "LEDGERFLOW_MAX_PAST_AGE_DAYS", "7",
                                "LEDGERFLOW_IDEMPOTENCY_TTL_SECONDS", "2h",
                                "LEDGERFLOW_KAFKA_LINGER_MS", "5",
                                "LEDGERFLOW_RETRY_AFTER_SECONDS", "3"));
        assertThat(config.validation().maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.validation().maxPastAge()).isEqualTo(Duration.ofDays(7));
        assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(config.kafkaLingerMs()).isEqualTo(5);
        assertThat(config.retryAfterSeconds()).isEqualTo(3);
    }

    @Test
    void malformedValuesFailAtStartNamingTheVariable() {
        assertThatThrownBy(
                        () ->
                                IngestApiConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_HTTP_PORT", "eighty",
                                                "LEDGERFLOW_MAX_BATCH_ITEMS", "-1",
                                                "LEDGERFLOW_IDEMPOTENCY_TTL", "-5s",
                                                "LEDGERFLOW_RETRY_AFTER", "1500ms",
                                                "LEDGERFLOW_READ_MODEL_JDBC_URL", "db:5432",
                                                "LEDGERFLOW_READ_MODEL_POOL_SIZE", "0",
                                                "LEDGERFLOW_SCHEMA_REGISTRY_URL", "registry",
                                                "LEDGERFLOW_ACCESS_LOG_LEVEL", "LOUD")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LEDGERFLOW_HTTP_PORT must be a whole number from 0 to 65535")
                .hasMessageContaining("LEDGERFLOW_MAX_BATCH_ITEMS must be a whole number")
                .hasMessageContaining("LEDGERFLOW_IDEMPOTENCY_TTL must be a positive duration")
                .hasMessageContaining("LEDGERFLOW_RETRY_AFTER must be whole seconds")
                .hasMessageContaining("LEDGERFLOW_READ_MODEL_JDBC_URL must be a JDBC URL")
                .hasMessageContaining("LEDGERFLOW_READ_MODEL_POOL_SIZE must be a whole number")
                .hasMessageContaining("LEDGERFLOW_SCHEMA_REGISTRY_URL must be a URL")
                .hasMessageContaining(
                        "LEDGERFLOW_ACCESS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR,"
                                + " OFF");
        assertThatThrownBy(
                        () ->
                                IngestApiConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_IDEMPOTENCY_TTL", "1d",
                                                "LEDGERFLOW_IDEMPOTENCY_TTL_SECONDS", "86400")))
                .hasMessageContaining(
                        "LEDGERFLOW_IDEMPOTENCY_TTL and LEDGERFLOW_IDEMPOTENCY_TTL_SECONDS are both"
                                + " given");
    }

    @Test
    void thePasswordComesFromAFileAndIsNeverPrinted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "from-secret\n");
        Settings settings =
                Settings.fromEnvironment(
                        Map.of(
                                "LEDGERFLOW_READ_MODEL_JDBC_URL",
                                "jdbc:postgresql://db/x",
                                "LEDGERFLOW_READ_MODEL_PASSWORD_FILE",
                                file.toString()));
        IngestApiConfig config = IngestApiConfig.read(settings);
        settings.check();
        assertThat(config.readModel().orElseThrow().database().password().reveal())
                .isEqualTo("from-secret");
        assertThat(config.toString()).doesNotContain("from-secret").contains("password=***");
        assertThat(settings.describe())
                .doesNotContain("from-secret")
                .contains("LEDGERFLOW_READ_MODEL_PASSWORD      ***  (from ")
                .contains("LEDGERFLOW_IDEMPOTENCY_TTL          1d\n");
    }

    @Test
    void theCursorKeyComesFromAFileIsLongEnoughAndIsNeverPrinted(@TempDir Path dir)
            throws Exception {
        String key = "k".repeat(40);
        Path file = Files.writeString(dir.resolve("cursor-key"), key + "\n");
        Map<String, String> env =
                Map.of(
                        "LEDGERFLOW_READ_MODEL_JDBC_URL",
                        "jdbc:postgresql://db/x",
                        "LEDGERFLOW_CURSOR_KEY_FILE",
                        file.toString());
        IngestApiConfig.ReadModelSettings readModel =
                IngestApiConfig.from(env).readModel().orElseThrow();
        assertThat(readModel.cursorKey().reveal()).isEqualTo(key);
        assertThat(readModel.developmentCursorKey()).isFalse();
        assertThat(readModel.toString()).doesNotContain(key);
        assertThat(
                        IngestApiConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_READ_MODEL_JDBC_URL",
                                                "jdbc:postgresql://db/x"))
                                .readModel()
                                .orElseThrow()
                                .developmentCursorKey())
                .as("unset: the development key")
                .isTrue();
        assertThatThrownBy(
                        () ->
                                IngestApiConfig.from(
                                        Map.of(
                                                "LEDGERFLOW_READ_MODEL_JDBC_URL",
                                                "jdbc:postgresql://db/x",
                                                "LEDGERFLOW_CURSOR_KEY",
                                                "too-short")))
                .hasMessageContaining("LEDGERFLOW_CURSOR_KEY must be at least 32 characters")
                .hasMessageNotContaining("too-short");
    }
}
