package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.jobs.fraud.AlertWindowSettings;
import io.ledgerflow.jobs.fraud.FraudScreenSettings;
import io.ledgerflow.schemas.config.CheckpointSettings;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerJobConfigTest {

    @Test
    void withoutArgumentsTheDefaultsOfALocalRun() {
        LedgerJobConfig config = LedgerJobConfig.fromArgs(new String[0]);
        assertThat(config).isEqualTo(LedgerJobConfig.defaults());
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.ledger())
                .isEqualTo(
                        new LedgerSettings(
                                Duration.ofDays(7),
                                Duration.ofDays(7),
                                Duration.ofDays(30),
                                Duration.ofDays(90),
                                8,
                                Duration.ofSeconds(10)));
        assertThat(config.fraudScreen())
                .isEqualTo(new FraudScreenSettings(Duration.ofDays(1), 500, Duration.ofDays(400)));
        assertThat(config.requestsTopic()).isEqualTo("ledger.requests");
    }

    @Test
    void everySettingCanBeGiven() {
        LedgerJobConfig config =
                LedgerJobConfig.fromArgs(
                        new String[] {
                            "--bootstrap-servers", "kafka:9092",
                            "--schema-registry-url", "http://registry:8080/apis/ccompat/v7",
                            "--consumer-group", "group",
                            "--transactional-id-prefix", "tx",
                            "--topic-prefix", "blue-",
                            "--parallelism", "4",
                            "--checkpoint-interval", "1s",
                            "--checkpoint-directory", "s3://bucket/ledger",
                            "--dedup-retention", "2d",
                            "--hold-expiry", "3d",
                            "--ended-hold-retention", "10d",
                            "--refund-window", "30d",
                            "--system-account-shards", "16",
                            "--park-window", "30s",
                            "--fraud-activity-retention", "2d",
                            "--fraud-max-activities", "1000",
                            "--fraud-profile-retention", "365d",
                            "--fraud-alert-gap", "5m",
                            "--fraud-alert-longest", "2h",
                            "--fraud-alert-revision-interval", "1s",
                            "--fraud-alert-latest-kept", "20",
                            "--skip-internal-records", "ledger.instructions-0@42"
                        });
        assertThat(config)
                .isEqualTo(
                        new LedgerJobConfig(
                                new KafkaSettings("kafka:9092", "blue-"),
                                new RegistrySettings("http://registry:8080/apis/ccompat/v7"),
                                "group",
                                "tx",
                                4,
                                new CheckpointSettings(Duration.ofSeconds(1), "s3://bucket/ledger"),
                                new LedgerSettings(
                                        Duration.ofDays(2),
                                        Duration.ofDays(3),
                                        Duration.ofDays(10),
                                        Duration.ofDays(30),
                                        16,
                                        Duration.ofSeconds(30)),
                                new FraudScreenSettings(
                                        Duration.ofDays(2), 1000, Duration.ofDays(365)),
                                new AlertWindowSettings(
                                        Duration.ofMinutes(5),
                                        Duration.ofHours(2),
                                        Duration.ofSeconds(1),
                                        20),
                                Set.of("ledger.instructions-0@42")));
        assertThat(config.requestsTopic()).isEqualTo("blue-ledger.requests");
    }

    @Test
    void holdExpiryAndOverdraftBoundsAreSettings() {
        LedgerSettings ledger =
                LedgerJobConfig.fromArgs(
                                new String[] {
                                    "--hold-expiry", "1d",
                                    "--max-hold-expiry", "2d",
                                    "--max-overdraft-limit", "1_000_000"
                                })
                        .ledger();
        assertThat(ledger.maxHoldExpiry()).isEqualTo(Duration.ofDays(2));
        assertThat(ledger.maxOverdraftLimit()).isEqualTo(1_000_000L);
        assertThat(LedgerSettings.defaults().maxHoldExpiry()).isEqualTo(Duration.ofDays(30));
        assertThat(LedgerSettings.defaults().maxOverdraftLimit()).isEqualTo(Long.MAX_VALUE);
        // A default expiry longer than the default maximum raises the maximum with it.
        assertThat(
                        LedgerJobConfig.fromArgs(new String[] {"--hold-expiry", "40d"})
                                .ledger()
                                .maxHoldExpiry())
                .isEqualTo(Duration.ofDays(40));

        assertThatThrownBy(
                        () ->
                                LedgerJobConfig.fromArgs(
                                        new String[] {
                                            "--hold-expiry", "2d",
                                            "--max-hold-expiry", "1d",
                                            "--max-overdraft-limit", "-1"
                                        }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-hold-expiry (PT24H) must be at least --hold-expiry")
                .hasMessageContaining("--max-overdraft-limit must be a whole number of at least 0");
    }

    @Test
    void invalidSettingsFailAtStartNamingEachSetting() {
        assertThatThrownBy(
                        () ->
                                LedgerJobConfig.fromArgs(
                                        new String[] {
                                            "--system-account-shards", "0",
                                            "--hold-expiry", "-1d",
                                            "--park-window", "0s",
                                            "--parallelism", "many",
                                            "--fraud-max-activities", "0",
                                            "--fraud-alert-gap", "2h",
                                            "--fraud-alert-longest", "1h",
                                            "--skip-internal-records", "offset-42",
                                            "--hold-expiri", "7d"
                                        }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "--system-account-shards must be a whole number of at least 1; got \"0\"")
                .hasMessageContaining("--hold-expiry must be a positive duration")
                .hasMessageContaining("--park-window must be a positive duration")
                .hasMessageContaining("--parallelism must be a whole number of at least 1")
                .hasMessageContaining("--fraud-max-activities must be a whole number")
                .hasMessageContaining(
                        "--fraud-alert-longest (1h) must be at least --fraud-alert-gap (2h)")
                .hasMessageContaining(
                        "--skip-internal-records must be topic-partition@offset[,...]")
                .hasMessageContaining("--hold-expiri is not a setting of this command");
    }

    @Test
    void theEffectiveConfigurationNamesEverySetting() {
        Settings settings = Settings.fromArgs(new String[] {"--parallelism", "3"}, Map.of());
        LedgerJobConfig.read(settings);
        settings.check();
        assertThat(settings.describe())
                .containsPattern("--parallelism +3  \\(given\\)")
                .containsPattern("--park-window +10s\n")
                .containsPattern("--fraud-max-activities +500\n")
                .containsPattern("--fraud-alert-gap +10m\n")
                .containsPattern("--checkpoint-interval +200ms\n")
                .containsPattern("--skip-internal-records +\"\"\n");
    }

    @Test
    void copiesChangeOnlyWhatTheyName() {
        LedgerJobConfig d = LedgerJobConfig.defaults();
        LedgerJobConfig changed =
                d.withKafka("k:1", "http://r:2")
                        .withTopicPrefix("it-")
                        .withCheckpoints(Duration.ofSeconds(1), "file:///c")
                        .withParallelism(3)
                        .withHoldExpiry(Duration.ofSeconds(2))
                        .withSkippedInternalRecords(Set.of("t-0@1"));
        assertThat(changed.kafka()).isEqualTo(new KafkaSettings("k:1", "it-"));
        assertThat(changed.schemaRegistryUrl()).isEqualTo("http://r:2");
        assertThat(changed.consumerGroup()).isEqualTo("it-" + LedgerJobConfig.JOB_NAME);
        assertThat(changed.transactionalIdPrefix()).isEqualTo("it-" + LedgerJobConfig.JOB_NAME);
        assertThat(changed.checkpoints())
                .isEqualTo(new CheckpointSettings(Duration.ofSeconds(1), "file:///c"));
        assertThat(changed.parallelism()).isEqualTo(3);
        assertThat(changed.ledger().holdExpiry()).isEqualTo(Duration.ofSeconds(2));
        assertThat(changed.ledger().refundWindow()).isEqualTo(d.ledger().refundWindow());
        assertThat(changed.fraudScreen()).isEqualTo(d.fraudScreen());
        assertThat(changed.skippedInternalRecords()).containsExactly("t-0@1");
    }
}
