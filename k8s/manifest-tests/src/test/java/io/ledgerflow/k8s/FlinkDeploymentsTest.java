package io.ledgerflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.k8s.testutils.BuildFacts;
import io.ledgerflow.k8s.testutils.JsonMergePatch;
import io.ledgerflow.k8s.testutils.Manifests;
import io.ledgerflow.k8s.testutils.Manifests.Manifest;
import io.ledgerflow.k8s.testutils.OperatorCrdSchema;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.sinks.aggregates.AggregatesConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FlinkDeployments (and their autoscaler variant) validate against the operator's CRD schema
 * and carry what the platform needs to run a stateful exactly-once job safely; no secret is ever a
 * job argument.
 */
class FlinkDeploymentsTest {

    private static final OperatorCrdSchema SCHEMA =
            OperatorCrdSchema.flinkDeployment(
                    "v1beta1", BuildFacts.operatorFlinkVersion(BuildFacts.flinkVersion()));

    static Stream<Manifest> flinkDeployments() {
        return Manifests.all().stream().filter(m -> m.kind().equals("FlinkDeployment"));
    }

    static Stream<Manifest> sinksDeployments() {
        return flinkDeployments().filter(m -> m.name().equals("sinks"));
    }

    /** Every applied FlinkDeployment, and every variant merged onto the one it patches. */
    static Stream<Object[]> deployableResources() {
        List<Object[]> all = new ArrayList<>();
        for (String env : Manifests.ENVIRONMENTS) {
            for (Manifest m : Manifests.ofKind(env, "FlinkDeployment")) {
                all.add(new Object[] {m.toString(), m.node()});
            }
            for (Manifest variant : Manifests.variants(env)) {
                Manifest base = Manifests.find(env, variant.kind(), variant.name());
                all.add(
                        new Object[] {
                            variant.toString(), JsonMergePatch.apply(base.node(), variant.node())
                        });
            }
        }
        return all.stream();
    }

    @Test
    void thereIsALedgerAndASinksDeploymentInEveryEnvironmentAndAnAutoscalerVariant() {
        for (String env : Manifests.ENVIRONMENTS) {
            Manifests.find(env, "FlinkDeployment", "ledger");
            Manifests.find(env, "FlinkDeployment", "sinks");
            assertThat(Manifests.variants(env))
                    .anySatisfy(
                            v ->
                                    assertThat(
                                                    v.node()
                                                            .at("/spec/flinkConfiguration")
                                                            .path("job.autoscaler.enabled")
                                                            .asText())
                                            .isEqualTo("true"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployableResources")
    void validatesAgainstTheOperatorCrdSchema(String name, JsonNode resource) {
        assertThat(SCHEMA.validate(resource)).as(name).isEmpty();
    }

    @Test
    void theSchemaRejectsAMisspelledField() {
        // Proof that validation is strict: the API server would silently prune this field and run
        // the job with the default upgrade mode (stateless: state thrown away on upgrade).
        ObjectNode broken = Manifests.find("prod", "FlinkDeployment", "ledger").node().deepCopy();
        ObjectNode job = (ObjectNode) broken.at("/spec/job");
        job.set("upgradMode", job.remove("upgradeMode"));
        assertThat(SCHEMA.validate(broken)).anySatisfy(p -> assertThat(p).contains("upgradMode"));
    }

    @Test
    void theSchemaRejectsAWrongType() {
        ObjectNode broken = Manifests.find("prod", "FlinkDeployment", "ledger").node().deepCopy();
        ((ObjectNode) broken.at("/spec/job")).put("parallelism", "six");
        assertThat(SCHEMA.validate(broken)).isNotEmpty();
    }

    @Test
    void onlyTheBuildsFlinkVersionIsAddedToTheShippedEnum() {
        String version = BuildFacts.operatorFlinkVersion(BuildFacts.flinkVersion());
        // If a newer operator API ever resolves and knows the version, nothing is added.
        assertThat(SCHEMA.flinkVersionAdded())
                .isEqualTo(!SCHEMA.shippedFlinkVersions().contains(version));
        ObjectNode other = Manifests.find("prod", "FlinkDeployment", "ledger").node().deepCopy();
        ((ObjectNode) other.get("spec")).put("flinkVersion", "v9_9");
        assertThat(SCHEMA.validate(other)).anySatisfy(p -> assertThat(p).contains("flinkVersion"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flinkDeployments")
    void isAStatefulExactlyOnceDeployment(Manifest m) {
        JsonNode spec = m.node().get("spec");
        JsonNode conf = spec.get("flinkConfiguration");
        String stateUrl = conf.path("execution.checkpointing.dir").asText();

        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.at("/job/jarURI").asText()).startsWith("local:///opt/flink/usrlib/");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.incremental").asText()).isEqualTo("true");
        assertThat(stateUrl).startsWith("s3://");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
        assertThat(conf.path("restart-strategy.type").asText()).isNotBlank();
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf.path("pipeline.max-parallelism").asText()).isNotBlank();
        assertThat(spec.at("/jobManager/resource/memory").asText()).isNotBlank();
        assertThat(spec.at("/jobManager/resource/cpu").asDouble()).isPositive();
        assertThat(spec.at("/taskManager/resource/memory").asText()).isNotBlank();
        assertThat(spec.at("/taskManager/resource/cpu").asDouble()).isPositive();
        assertThat(spec.at("/serviceAccount").asText()).isEqualTo("ledgerflow-flink");

        // The job sets checkpointing itself from its arguments; both must say the same.
        List<String> args = new ArrayList<>();
        spec.at("/job/args").forEach(a -> args.add(a.asText()));
        assertThat(argument(args, "--checkpoint-directory")).isEqualTo(stateUrl + "");
        assertThat(argument(args, "--checkpoint-interval"))
                .isEqualTo(conf.path("execution.checkpointing.interval").asText());
        assertThat(argument(args, "--parallelism")).isEqualTo(spec.at("/job/parallelism").asText());
        // Secrets only by reference: no password is ever a job argument.
        assertThat(args).noneMatch(a -> a.matches("(?i)--\\S*password"));
        // Each job keeps its state apart from the others'.
        String name = m.name();
        assertThat(stateUrl).endsWith("/checkpoints/" + name);
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText())
                .endsWith("/savepoints/" + name);
        assertThat(conf.path("high-availability.storageDir").asText()).endsWith("/ha/" + name);
        if (name.equals("ledger")) {
            // LedgerJob enables the changelog with its log under the checkpoint directory, and the
            // job's settings win over the manifest's: the two must not disagree.
            assertThat(conf.path("state.changelog.enabled").asText()).isEqualTo("true");
            assertThat(conf.path("state.changelog.storage").asText()).isEqualTo("filesystem");
            assertThat(conf.path("state.changelog.dstl.dfs.base-path").asText())
                    .isEqualTo(stateUrl + "/changelog");
            // NO_CLAIM restores fail under the changelog.
            assertThat(conf.path("execution.state-recovery.claim-mode").asText())
                    .isEqualTo("CLAIM");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployableResources")
    void theJobAcceptsEveryArgumentTheManifestGivesIt(String name, JsonNode resource) {
        List<String> list = new ArrayList<>();
        resource.at("/spec/job/args").forEach(a -> list.add(a.asText()));
        String[] args = list.toArray(String[]::new);
        String entryClass = resource.at("/spec/job/entryClass").asText();
        // The job's own parser, as its main runs it: an unknown name or a value it refuses (a zero
        // shard count, "yes" for a boolean) fails here instead of in a crash-looping JobManager.
        if (entryClass.equals(LedgerJob.class.getName())) {
            assertThat(LedgerJobConfig.fromArgs(args).parallelism())
                    .isEqualTo(resource.at("/spec/job/parallelism").asInt());
        } else {
            assertThat(entryClass).isEqualTo(SinksJob.class.getName());
            Settings settings = Settings.fromArgs(args, Map.of());
            SinksConfig.read(settings);
            AggregatesConfig.read(settings);
            assertThat(settings.problems()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sinksDeployments")
    void theSinksJobGetsItsDatabasePasswordsOnlyFromASecret(Manifest m) {
        JsonNode container = m.node().at("/spec/podTemplate/spec/containers/0");
        assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
        Map<String, String> fakeEnvironment = new HashMap<>();
        for (String variable :
                List.of(SinksConfig.POSTGRES_PASSWORD_ENV, SinksConfig.CLICKHOUSE_PASSWORD_ENV)) {
            List<JsonNode> vars = new ArrayList<>();
            container
                    .path("env")
                    .forEach(
                            e -> {
                                if (e.path("name").asText().equals(variable)) {
                                    vars.add(e);
                                }
                            });
            assertThat(vars).as(variable).hasSize(1);
            JsonNode var = vars.get(0);
            assertThat(var.has("value")).as(variable + " has a literal value").isFalse();
            JsonNode ref = var.at("/valueFrom/secretKeyRef");
            assertThat(ref.path("name").asText()).as(variable).startsWith("ledgerflow-");
            assertThat(ref.path("key").asText()).as(variable).isNotBlank();
            assertThat(ref.path("optional").asBoolean(false)).as(variable).isFalse();
            fakeEnvironment.put(variable, "from-secret:" + variable);
        }

        // The job accepts every argument the manifest gives it, and with them still takes its
        // passwords from the environment the Secret fills.
        List<String> args = new ArrayList<>();
        m.node().at("/spec/job/args").forEach(a -> args.add(a.asText()));
        SinksConfig config = SinksConfig.fromArgs(args.toArray(String[]::new), fakeEnvironment);
        assertThat(config.postgres().password().reveal())
                .isEqualTo("from-secret:" + SinksConfig.POSTGRES_PASSWORD_ENV);
        assertThat(config.clickHouse().password().reveal())
                .isEqualTo("from-secret:" + SinksConfig.CLICKHOUSE_PASSWORD_ENV);
        JsonNode spec = m.node().get("spec");
        assertThat(config.parallelism()).isEqualTo(spec.at("/job/parallelism").asInt());
        assertThat(config.checkpointDirectory())
                .isEqualTo(
                        spec.at("/flinkConfiguration")
                                .path("execution.checkpointing.dir")
                                .asText());
        assertThat(config.consumerGroup()).isEqualTo(SinksConfig.JOB_NAME);
        assertThat(spec.at("/job/entryClass").asText()).isEqualTo(SinksJob.class.getName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flinkDeployments")
    void theMetricsPortIsExposedForThePodMonitor(Manifest m) {
        JsonNode container = m.node().at("/spec/podTemplate/spec/containers/0");
        assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
        assertThat(container.path("ports"))
                .anySatisfy(
                        p -> {
                            assertThat(p.path("name").asText()).isEqualTo("metrics");
                            assertThat(p.path("containerPort").asText())
                                    .isEqualTo(
                                            m.node()
                                                    .at("/spec/flinkConfiguration")
                                                    .path("metrics.reporter.prom.port")
                                                    .asText());
                        });
    }

    static String argument(List<String> args, String name) {
        int i = args.indexOf(name);
        assertThat(i).as("argument " + name).isNotNegative();
        return args.get(i + 1);
    }
}
