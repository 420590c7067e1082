package io.ledgerflow.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    private static Settings args(String... args) {
        return Settings.fromArgs(args, Map.of());
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        Settings s = args();
        assertThat(s.string("name", "fallback")).isEqualTo("fallback");
        assertThat(s.positiveInt("shards", 8)).isEqualTo(8);
        assertThat(s.duration("window", Duration.ofSeconds(10))).hasSeconds(10);
        assertThat(s.bool("enabled", true)).isTrue();
        assertThat(s.choice("target", "http", "http", "kafka")).isEqualTo("http");
        assertThat(s.optional("file")).isEmpty();
        assertThat(s.secret("password", null, Secret.NONE)).isEqualTo(Secret.NONE);
        s.check();
    }

    @Test
    void readsEveryFormOfArgument() {
        Settings s =
                args(
                        "--name",
                        "ledger",
                        "--shards=4",
                        "--window",
                        "500ms",
                        "--enabled",
                        "false",
                        "--quiet",
                        "--target",
                        "kafka",
                        "--rate",
                        "2.5",
                        "--count",
                        "1_000_000",
                        "--url",
                        "https://registry:8081/x",
                        "--db",
                        "jdbc:postgresql://h:5432/d");
        assertThat(s.string("name", "x")).isEqualTo("ledger");
        assertThat(s.positiveInt("shards", 8)).isEqualTo(4);
        assertThat(s.duration("window", Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(500));
        assertThat(s.bool("enabled", true)).isFalse();
        assertThat(s.bool("quiet", false)).isTrue();
        assertThat(s.choice("target", "http", "http", "kafka", "jsonl")).isEqualTo("kafka");
        assertThat(s.number("rate", 1, 0, Double.MAX_VALUE)).isEqualTo(2.5);
        assertThat(s.integer("count", 0, 0, Long.MAX_VALUE)).isEqualTo(1_000_000);
        assertThat(s.url("url", "http://x:1", "http", "https"))
                .isEqualTo("https://registry:8081/x");
        assertThat(s.jdbcUrl("db", "", "postgresql")).isEqualTo("jdbc:postgresql://h:5432/d");
        s.check();
    }

    @Test
    void everyInvalidValueIsReportedTogetherNamingItsSetting() {
        Settings s =
                args(
                        "--system-account-shards",
                        "0",
                        "--hold-expiry",
                        "-5s",
                        "--aggregates",
                        "yes",
                        "--target",
                        "smtp",
                        "--registry",
                        "localhost:8081",
                        "--parallelism",
                        "two",
                        "--refund-window",
                        "PT-1S",
                        "--share",
                        "1.5",
                        "--db",
                        "jdbc:mysql:x");
        s.positiveInt("system-account-shards", 8);
        s.duration("hold-expiry", Duration.ofDays(7));
        s.bool("aggregates", true);
        s.choice("target", "http", "http", "kafka", "jsonl");
        s.url("registry", "http://x:1", "http", "https");
        s.positiveInt("parallelism", 2);
        s.duration("refund-window", Duration.ofDays(90));
        s.number("share", 0.01, 0, 1);
        s.jdbcUrl("db", "", "postgresql");
        assertThat(s.problems())
                .containsExactly(
                        "--system-account-shards must be a whole number of at least 1; got \"0\"",
                        "--hold-expiry must be a positive duration like 500ms, 10s, 5m, 1h, 7d;"
                                + " got \"-5s\"",
                        "--aggregates must be true or false; got \"yes\"",
                        "--target must be one of http, kafka, jsonl; got \"smtp\"",
                        "--registry must be a URL like http://host:port/...; got"
                                + " \"localhost:8081\"",
                        "--parallelism must be a whole number of at least 1; got \"two\"",
                        "--refund-window must be a positive duration like 500ms, 10s, 5m, 1h,"
                                + " 7d; got \"PT-1S\"",
                        "--share must be a number from 0.0 to 1.0; got \"1.5\"",
                        "--db must be a JDBC URL starting with jdbc:postgresql:; got"
                                + " \"jdbc:mysql:x\"");
        assertThatThrownBy(s::check)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid configuration:\n  --system-account-shards")
                .hasMessageContaining("--aggregates must be true or false")
                .hasMessageEndingWith(
                        "known settings: --system-account-shards --hold-expiry --aggregates"
                                + " --target --registry --parallelism --refund-window --share"
                                + " --db");
    }

    @Test
    void unknownArgumentsFailTheCheckAndUnknownVariablesAreOnlyListed() {
        Settings s = args("--parallelism", "2", "--paralelism", "4");
        s.positiveInt("parallelism", 1);
        assertThat(s.problems()).containsExactly("--paralelism is not a setting of this command");
        assertThatThrownBy(s::check).hasMessageContaining("--paralelism is not a setting");

        Settings env =
                Settings.fromEnvironment(
                        Map.of(
                                "LEDGERFLOW_HTTP_PORT",
                                "80",
                                "LEDGERFLOW_HTTP_PROT",
                                "81",
                                "PATH",
                                "/"));
        assertThat(env.positiveInt("http-port", 8080)).isEqualTo(80);
        env.check();
        assertThat(env.unknown()).containsExactly("LEDGERFLOW_HTTP_PROT");
        assertThat(env.describe())
                .contains("ignored, not a setting of this process: LEDGERFLOW_HTTP_PROT");
    }

    @Test
    void aSwitchWithoutValueIsOnlyABoolean() {
        Settings s = args("--parallelism", "--quiet");
        s.positiveInt("parallelism", 1);
        s.bool("quiet", false);
        assertThat(s.problems())
                .containsExactly("--parallelism needs a value (a whole number of at least 1)");
        assertThatThrownBy(() -> args("--a", "1", "--a", "2")).hasMessage("--a is given twice");
        assertThatThrownBy(() -> args("parallelism", "2"))
                .hasMessage("expected --name value, got \"parallelism\"");
        Settings required = args();
        required.required("out");
        assertThat(required.problems()).containsExactly("--out is required");
    }

    @Test
    void environmentVariablesAreTheSettingsInUpperSnakeCase() {
        Settings s =
                Settings.fromEnvironment(
                        Map.of(
                                "LEDGERFLOW_MAX_BODY_BYTES", "1024",
                                "LEDGERFLOW_HTTP_HOST", "  ",
                                "LEDGERFLOW_EVENT_LOOPS", "0"));
        assertThat(s.key("max-body-bytes")).isEqualTo("LEDGERFLOW_MAX_BODY_BYTES");
        assertThat(s.positiveInt("max-body-bytes", 1)).isEqualTo(1024);
        assertThat(s.string("http-host", "0.0.0.0")).as("blank is unset").isEqualTo("0.0.0.0");
        s.positiveInt("event-loops", 2);
        assertThat(s.problems())
                .containsExactly(
                        "LEDGERFLOW_EVENT_LOOPS must be a whole number of at least 1; got \"0\"");
    }

    @Test
    void aRenamedDurationStillAcceptsItsOldNameInTheOldUnitOrTheNewSyntax() {
        Duration fallback = Duration.ofSeconds(300);
        Settings plain = Settings.fromEnvironment(Map.of("LEDGERFLOW_TTL_SECONDS", "86400"));
        assertThat(plain.duration("ttl", "ttl-seconds", ChronoUnit.SECONDS, fallback))
                .isEqualTo(Duration.ofDays(1));
        assertThat(plain.describe())
                .contains("LEDGERFLOW_TTL  1d  (given as LEDGERFLOW_TTL_SECONDS)");
        Settings syntax = Settings.fromEnvironment(Map.of("LEDGERFLOW_TTL_SECONDS", "2h"));
        assertThat(syntax.duration("ttl", "ttl-seconds", ChronoUnit.SECONDS, fallback))
                .isEqualTo(Duration.ofHours(2));
        Settings renamed = Settings.fromEnvironment(Map.of("LEDGERFLOW_TTL", "30s"));
        assertThat(renamed.duration("ttl", "ttl-seconds", ChronoUnit.SECONDS, fallback))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(
                        Settings.fromEnvironment(Map.of())
                                .duration("ttl", "ttl-seconds", ChronoUnit.SECONDS, fallback))
                .isEqualTo(fallback);

        Settings both =
                Settings.fromEnvironment(
                        Map.of("LEDGERFLOW_TTL", "30s", "LEDGERFLOW_TTL_SECONDS", "30"));
        both.duration("ttl", "ttl-seconds", ChronoUnit.SECONDS, fallback);
        assertThat(both.problems())
                .containsExactly(
                        "LEDGERFLOW_TTL and LEDGERFLOW_TTL_SECONDS are both given; keep one");
        Settings bad = Settings.fromEnvironment(Map.of("LEDGERFLOW_TTL_SECONDS", "-1"));
        bad.duration("ttl", "ttl-seconds", ChronoUnit.SECONDS, fallback);
        assertThat(bad.problems())
                .containsExactly(
                        "LEDGERFLOW_TTL_SECONDS must be a positive duration like 500ms, 10s, 5m,"
                                + " 1h, 7d; got \"-1\"");
    }

    @Test
    void aSecretComesFromTheArgumentThenItsFileThenTheEnvironment(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "from-file\n");
        Map<String, String> env = Map.of("LEDGERFLOW_DB_PASSWORD", "from-env");

        assertThat(
                        Settings.fromArgs(new String[] {"--db-password", "from-arg"}, env)
                                .secret("db-password", "LEDGERFLOW_DB_PASSWORD", Secret.NONE)
                                .reveal())
                .isEqualTo("from-arg");
        assertThat(
                        Settings.fromArgs(new String[] {"--db-password-file", file.toString()}, env)
                                .secret("db-password", "LEDGERFLOW_DB_PASSWORD", Secret.NONE)
                                .reveal())
                .isEqualTo("from-file");
        assertThat(
                        Settings.fromArgs(new String[0], env)
                                .secret("db-password", "LEDGERFLOW_DB_PASSWORD", Secret.NONE)
                                .reveal())
                .isEqualTo("from-env");
        Settings envStyle =
                Settings.fromEnvironment(Map.of("LEDGERFLOW_DB_PASSWORD_FILE", file.toString()));
        assertThat(envStyle.secret("db-password", null, Secret.NONE).reveal())
                .isEqualTo("from-file");

        Settings missing =
                Settings.fromArgs(new String[] {"--db-password-file", "/no/such/file"}, env);
        missing.secret("db-password", "LEDGERFLOW_DB_PASSWORD", Secret.NONE);
        assertThat(missing.problems()).hasSize(1);
        assertThat(missing.problems().get(0))
                .startsWith("--db-password-file cannot be read: /no/such/file");
    }

    @Test
    void theEffectiveConfigurationShowsEverySettingAndMasksSecrets() {
        Settings s =
                Settings.fromArgs(
                        new String[] {"--parallelism", "4", "--db-password", "hunter2"}, Map.of());
        s.positiveInt("parallelism", 2);
        s.duration("hold-expiry", Duration.ofDays(7));
        s.secret("db-password", null, Secret.NONE);
        s.secret("other-password", null, Secret.NONE);
        s.string("topic-prefix", "");
        assertThat(s.describe())
                .isEqualTo(
                        "  --parallelism     4  (given)\n"
                                + "  --hold-expiry     7d\n"
                                + "  --db-password     ***  (given)\n"
                                + "  --other-password  (none)\n"
                                + "  --topic-prefix    \"\"\n")
                .doesNotContain("hunter2");
    }

    @Test
    void aSecretMasksItselfWhereverItIsPrinted() {
        Secret secret = Secret.of("hunter2");
        assertThat(secret).hasToString("***");
        assertThat(Secret.of("")).hasToString("(none)").isSameAs(Secret.NONE);
        assertThat(secret.reveal()).isEqualTo("hunter2");
        assertThat(secret).isEqualTo(Secret.of("hunter2")).isNotEqualTo(Secret.NONE);
        assertThat(new PostgresSettings("jdbc:postgresql://h/d", "u", secret).toString())
                .doesNotContain("hunter2")
                .contains("password=***");
        assertThat(Optional.of(new ClickHouseSettings("jdbc:clickhouse://h", "d", "u", secret)))
                .asString()
                .doesNotContain("hunter2");
    }
}
