package io.ledgerflow.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed groups every process shares: defaults, overrides and their validation. */
class GroupSettingsTest {

    private static final CheckpointSettings CHECKPOINTS =
            new CheckpointSettings(Duration.ofMillis(200), "file:///tmp/c");
    private static final PostgresSettings POSTGRES =
            new PostgresSettings("jdbc:postgresql://127.0.0.1:5432/l", "postgres", Secret.NONE);
    private static final ClickHouseSettings CLICKHOUSE =
            new ClickHouseSettings("jdbc:clickhouse://127.0.0.1:8123", "l", "default", Secret.NONE);

    private static Settings args(String... args) {
        return Settings.fromArgs(args, Map.of("LEDGERFLOW_PG", "pg-env"));
    }

    @Test
    void defaults() {
        Settings s = args();
        assertThat(KafkaSettings.read(s, "bootstrap-servers", KafkaSettings.LOCAL))
                .isEqualTo(KafkaSettings.LOCAL);
        assertThat(RegistrySettings.read(s, RegistrySettings.LOCAL))
                .isEqualTo(RegistrySettings.LOCAL);
        assertThat(CheckpointSettings.read(s, CHECKPOINTS)).isEqualTo(CHECKPOINTS);
        assertThat(PostgresSettings.read(s, "postgres-", null, POSTGRES)).isEqualTo(POSTGRES);
        assertThat(ClickHouseSettings.read(s, null, CLICKHOUSE)).isEqualTo(CLICKHOUSE);
        s.check();
    }

    @Test
    void overrides() {
        Settings s =
                args(
                        "--bootstrap-servers",
                        "k1:9092,k2:9092",
                        "--topic-prefix",
                        "it-",
                        "--schema-registry-url",
                        "https://r:8081/apis/ccompat/v7",
                        "--checkpoint-interval",
                        "2s",
                        "--checkpoint-directory",
                        "s3://b/c",
                        "--postgres-url",
                        "jdbc:postgresql://db:5432/x",
                        "--postgres-user",
                        "u",
                        "--clickhouse-url",
                        "jdbc:clickhouse://ch:8123",
                        "--clickhouse-database",
                        "a",
                        "--clickhouse-user",
                        "c",
                        "--clickhouse-password",
                        "ch");
        KafkaSettings kafka = KafkaSettings.read(s, "bootstrap-servers", KafkaSettings.LOCAL);
        assertThat(kafka).isEqualTo(new KafkaSettings("k1:9092,k2:9092", "it-"));
        assertThat(kafka.topic("ledger.requests")).isEqualTo("it-ledger.requests");
        assertThat(RegistrySettings.read(s, RegistrySettings.LOCAL).url())
                .isEqualTo("https://r:8081/apis/ccompat/v7");
        assertThat(CheckpointSettings.read(s, CHECKPOINTS))
                .isEqualTo(new CheckpointSettings(Duration.ofSeconds(2), "s3://b/c"));
        assertThat(PostgresSettings.read(s, "postgres-", "LEDGERFLOW_PG", POSTGRES))
                .isEqualTo(
                        new PostgresSettings(
                                "jdbc:postgresql://db:5432/x", "u", Secret.of("pg-env")));
        assertThat(ClickHouseSettings.read(s, null, CLICKHOUSE))
                .isEqualTo(
                        new ClickHouseSettings(
                                "jdbc:clickhouse://ch:8123", "a", "c", Secret.of("ch")));
        s.check();
    }

    @Test
    void invalidValuesNameTheirSetting() {
        Settings s =
                args(
                        "--bootstrap-servers",
                        "kafka",
                        "--schema-registry-url",
                        "registry:8081",
                        "--checkpoint-interval",
                        "0s",
                        "--checkpoint-directory",
                        "/tmp/c",
                        "--postgres-url",
                        "postgres://db",
                        "--clickhouse-url",
                        "http://ch:8123");
        KafkaSettings.read(s, "bootstrap-servers", KafkaSettings.LOCAL);
        RegistrySettings.read(s, RegistrySettings.LOCAL);
        CheckpointSettings.read(s, CHECKPOINTS);
        PostgresSettings.read(s, "postgres-", null, POSTGRES);
        ClickHouseSettings.read(s, null, CLICKHOUSE);
        assertThat(s.problems())
                .containsExactly(
                        "--bootstrap-servers must be host:port[,host:port...]; got \"kafka\"",
                        "--schema-registry-url must be a URL like http://host:port/...; got"
                                + " \"registry:8081\"",
                        "--checkpoint-interval must be a positive duration like 500ms, 10s, 5m,"
                                + " 1h, 7d; got \"0s\"",
                        "--checkpoint-directory must be a URI with its file system, like"
                                + " file:///path or s3://bucket/path; got \"/tmp/c\"",
                        "--postgres-url must be a JDBC URL starting with jdbc:postgresql:; got"
                                + " \"postgres://db\"",
                        "--clickhouse-url must be a JDBC URL starting with jdbc:clickhouse:; got"
                                + " \"http://ch:8123\"");
    }
}
