package io.ledgerflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.ledgerflow.k8s.testutils.Manifests;
import io.ledgerflow.k8s.testutils.StrictKubernetesModel;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.reconcile.ReconcileConfig;
import io.ledgerflow.sinks.reconcile.StatementImportConfig;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation on Kubernetes (issue 17): the continuous {@code reconcile} Deployment and the
 * {@code statement-import} Job template run the sinks image's jar with an explicit heap that fits
 * their memory limit, reach the same databases as the sinks job with the same Secret, and give
 * their commands only arguments the commands' own parsers accept.
 */
class ReconciliationManifestsTest {

    /** Native memory (metaspace, threads, Kafka and JDBC buffers) the limit must leave. */
    private static final long OFF_HEAP = 384L << 20;

    private static final String SINKS_DB_SECRET = "ledgerflow-sinks-db";

    @Test
    void reconcileRunsContinuouslyAsOnePodWithItsHeapInsideItsLimit() {
        for (String env : Manifests.ENVIRONMENTS) {
            Deployment deployment = reconcile(env);
            assertThat(deployment.getSpec().getReplicas()).as(env + ": one instance").isEqualTo(1);
            assertThat(deployment.getSpec().getStrategy().getType())
                    .as(env + ": never two during a rollout")
                    .isEqualTo("Recreate");
            Container c = container(deployment.getSpec().getTemplate().getSpec());
            assertFitsItsLimit(env, c);
            ReconcileConfig config = reconcileConfig(env, c.getArgs());
            assertThat(config.every()).as(env + ": continuous, not one round").isPositive();
            assertThat(c.getPorts())
                    .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .contains(org.assertj.core.groups.Tuple.tuple("metrics", config.metricsPort()));
            for (var probe : List.of(c.getStartupProbe(), c.getLivenessProbe())) {
                assertThat(probe.getHttpGet().getPath()).isEqualTo("/metrics");
                assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
            }
            // The first round reads the topic from its beginning: liveness must not kill it while
            // the startup probe has not passed, and the startup probe allows minutes.
            assertThat(
                            c.getStartupProbe().getPeriodSeconds()
                                    * c.getStartupProbe().getFailureThreshold())
                    .isGreaterThanOrEqualTo(120);
        }
    }

    @Test
    void reconcileReadsTheSameKafkaAndDatabasesAsTheSinksJob() {
        for (String env : Manifests.ENVIRONMENTS) {
            Container c = container(reconcile(env).getSpec().getTemplate().getSpec());
            ReconcileConfig config = reconcileConfig(env, c.getArgs());
            List<String> sinksArgs = new ArrayList<>();
            Manifests.find(env, "FlinkDeployment", "sinks")
                    .node()
                    .at("/spec/job/args")
                    .forEach(a -> sinksArgs.add(a.asText()));
            assertThat(config.kafka().bootstrapServers())
                    .isEqualTo(after(sinksArgs, "--bootstrap-servers"));
            assertThat(config.registry().url())
                    .isEqualTo(after(sinksArgs, "--schema-registry-url"));
            assertThat(config.postgres().url()).isEqualTo(after(sinksArgs, "--postgres-url"));
            assertThat(config.postgres().user()).isEqualTo(after(sinksArgs, "--postgres-user"));
            assertThat(config.clickHouse().url()).isEqualTo(after(sinksArgs, "--clickhouse-url"));
            assertThat(config.clickHouse().database())
                    .isEqualTo(after(sinksArgs, "--clickhouse-database"));
            assertThat(config.clickHouse().user()).isEqualTo(after(sinksArgs, "--clickhouse-user"));
            // The passwords: from the Secret (the fake environment below), never the defaults.
            assertThat(config.postgres().password().reveal())
                    .isEqualTo("from-secret:LEDGERFLOW_POSTGRES_PASSWORD");
            assertThat(config.clickHouse().password().reveal())
                    .isEqualTo("from-secret:LEDGERFLOW_CLICKHOUSE_PASSWORD");
        }
    }

    @Test
    void aMisspeltOrInvalidArgumentFailsTheManifestCheck() {
        List<String> args =
                new ArrayList<>(
                        container(reconcile("prod").getSpec().getTemplate().getSpec()).getArgs());
        List<String> misspelt = new ArrayList<>(args);
        misspelt.set(misspelt.indexOf("--every"), "--evry");
        assertThatThrownBy(() -> reconcileConfig("prod", misspelt)).hasMessageContaining("--evry");
        List<String> invalid = new ArrayList<>(args);
        invalid.set(invalid.indexOf("--metrics-port") + 1, "99999");
        assertThatThrownBy(() -> reconcileConfig("prod", invalid))
                .hasMessageContaining("--metrics-port");
    }

    @Test
    void theStatementImportIsASuspendedTemplateThatFailsAtOnceOnExceptions() {
        for (String env : Manifests.ENVIRONMENTS) {
            CronJob cronJob = statementImport(env);
            assertThat(cronJob.getSpec().getSuspend()).as(env + ": never fires").isTrue();
            assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            PodSpec pod = job.getTemplate().getSpec();
            // A pod failure policy needs restartPolicy Never.
            assertThat(pod.getRestartPolicy()).isEqualTo("Never");
            Container c = container(pod);
            assertFitsItsLimit(env, c);
            // Exit 1 = stored with exceptions: failing the Job at once, not retrying.
            List<PodFailurePolicyRule> rules = job.getPodFailurePolicy().getRules();
            assertThat(rules)
                    .anySatisfy(
                            r -> {
                                assertThat(r.getAction()).isEqualTo("FailJob");
                                assertThat(r.getOnExitCodes().getContainerName())
                                        .isEqualTo(c.getName());
                                assertThat(r.getOnExitCodes().getOperator()).isEqualTo("In");
                                assertThat(r.getOnExitCodes().getValues()).containsExactly(1);
                            });
            assertThat(job.getTtlSecondsAfterFinished()).isPositive();
        }
    }

    @Test
    void theStatementImportReadsItsStatementFromTheMountedConfigMap() {
        for (String env : Manifests.ENVIRONMENTS) {
            PodSpec pod =
                    statementImport(env)
                            .getSpec()
                            .getJobTemplate()
                            .getSpec()
                            .getTemplate()
                            .getSpec();
            Container c = container(pod);
            Map<String, String> environment = environment(c);
            // Kubernetes expands $(NAME) in args from the container's env; every name must be
            // defined there, or the command gets the text "$(NAME)".
            List<String> args = new ArrayList<>();
            for (String arg : c.getArgs()) {
                Matcher ref = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(arg);
                StringBuilder expanded = new StringBuilder();
                while (ref.find()) {
                    assertThat(environment)
                            .as(env + ": $(" + ref.group(1) + ")")
                            .containsKey(ref.group(1));
                    ref.appendReplacement(
                            expanded, Matcher.quoteReplacement(environment.get(ref.group(1))));
                }
                ref.appendTail(expanded);
                args.add(expanded.toString());
            }
            StatementImportConfig config = statementImportConfig(args, environment);
            assertThat(config.statementId()).isEqualTo("from-configmap:statement-id");
            // The file is the ConfigMap key the ConfigMap's own "file" entry names, mounted.
            VolumeMount mount =
                    c.getVolumeMounts().stream()
                            .filter(m -> config.file().startsWith(Path.of(m.getMountPath())))
                            .findFirst()
                            .orElseThrow(
                                    () -> new AssertionError(config.file() + " is not mounted"));
            Volume volume =
                    pod.getVolumes().stream()
                            .filter(v -> v.getName().equals(mount.getName()))
                            .findFirst()
                            .orElseThrow();
            String configMap = volume.getConfigMap().getName();
            assertThat(config.file().getFileName().toString()).isEqualTo("from-configmap:file");
            for (EnvVar v : c.getEnv()) {
                if (v.getValueFrom() != null && v.getValueFrom().getConfigMapKeyRef() != null) {
                    assertThat(v.getValueFrom().getConfigMapKeyRef().getName())
                            .as("the statement id and file name come with the statement")
                            .isEqualTo(configMap);
                }
            }
            // The same databases and Secret as the sinks job (and the reconcile command).
            ReconcileConfig reconcile =
                    reconcileConfig(
                            env,
                            container(reconcile(env).getSpec().getTemplate().getSpec()).getArgs());
            assertThat(config.postgres().url()).isEqualTo(reconcile.postgres().url());
            assertThat(config.postgres().user()).isEqualTo(reconcile.postgres().user());
            assertThat(config.clickHouse().url()).isEqualTo(reconcile.clickHouse().url());
            assertThat(config.clickHouse().database()).isEqualTo(reconcile.clickHouse().database());
            assertThat(config.postgres().password().reveal())
                    .isEqualTo("from-secret:LEDGERFLOW_POSTGRES_PASSWORD");
            assertThat(config.clickHouse().password().reveal())
                    .isEqualTo("from-secret:LEDGERFLOW_CLICKHOUSE_PASSWORD");
        }
    }

    @Test
    void bothRunAClassOfTheSinksJarInTheSinksImage() throws IOException {
        for (String env : Manifests.ENVIRONMENTS) {
            JsonNode sinks = Manifests.find(env, "FlinkDeployment", "sinks").node().get("spec");
            String jar = sinks.at("/job/jarURI").asText().replaceFirst("^local://", "");
            List<Container> containers =
                    List.of(
                            container(reconcile(env).getSpec().getTemplate().getSpec()),
                            container(
                                    statementImport(env)
                                            .getSpec()
                                            .getJobTemplate()
                                            .getSpec()
                                            .getTemplate()
                                            .getSpec()));
            for (Container c : containers) {
                assertThat(c.getImage()).as(c.getName()).isEqualTo(sinks.get("image").asText());
                List<String> command = c.getCommand();
                assertThat(command.get(0)).isEqualTo("java");
                List<String> classPath =
                        List.of(command.get(command.indexOf("-cp") + 1).split(":"));
                assertThat(classPath.get(0)).isEqualTo(jar);
                String mainClass = command.get(command.size() - 1);
                assertThat(mainClass).startsWith("io.ledgerflow.sinks.reconcile.");
                assertHasMain(mainClass);
                Path built =
                        Manifests.root()
                                .resolve("sinks/target")
                                .resolve(Path.of(jar).getFileName());
                assertThat(built).as("built by the reactor before this module").exists();
                try (JarFile file = new JarFile(built.toFile())) {
                    assertThat(file.getEntry(mainClass.replace('.', '/') + ".class"))
                            .as(mainClass + " in " + built)
                            .isNotNull();
                    // The job jar leaves SLF4J to the Flink image (the Kafka client needs it at
                    // once): run outside Flink, the class path must add Flink's lib/.
                    assertThat(file.getEntry("org/slf4j/LoggerFactory.class")).isNull();
                    assertThat(classPath).contains("/opt/flink/lib/*");
                }
            }
        }
    }

    @Test
    void thePodMonitorScrapesTheReconcilePodsMetricsPort() {
        for (String env : Manifests.ENVIRONMENTS) {
            JsonNode monitor = Manifests.find(env, "PodMonitor", "ledgerflow-reconcile").node();
            Deployment deployment = reconcile(env);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(
                            Manifests.YAML.convertValue(
                                    monitor.at("/spec/selector/matchLabels"),
                                    new com.fasterxml.jackson.core.type.TypeReference<
                                            Map<String, String>>() {}));
            assertThat(container(deployment.getSpec().getTemplate().getSpec()).getPorts())
                    .extracting(ContainerPort::getName)
                    .contains(monitor.at("/spec/podMetricsEndpoints/0/port").asText());
            assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asText())
                    .isEqualTo("/metrics");
        }
    }

    private static Deployment reconcile(String env) {
        return StrictKubernetesModel.read(
                Manifests.find(env, "Deployment", "reconcile").node(), Deployment.class);
    }

    private static CronJob statementImport(String env) {
        return StrictKubernetesModel.read(
                Manifests.find(env, "CronJob", "statement-import").node(), CronJob.class);
    }

    private static Container container(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    /** The command's own parser over the manifest's arguments, the Secret's variables set. */
    private static ReconcileConfig reconcileConfig(String env, List<String> args) {
        Container c = container(reconcile(env).getSpec().getTemplate().getSpec());
        Settings settings = Settings.fromArgs(args.toArray(String[]::new), environment(c));
        return ReconcileConfig.read(settings);
    }

    private static StatementImportConfig statementImportConfig(
            List<String> args, Map<String, String> environment) {
        return StatementImportConfig.read(
                Settings.fromArgs(args.toArray(String[]::new), environment));
    }

    /**
     * The container's environment as the pod would see it: literal values as they are, a Secret's
     * key as {@code from-secret:NAME} (only from {@value #SINKS_DB_SECRET}), a ConfigMap's as
     * {@code from-configmap:KEY}.
     */
    private static Map<String, String> environment(Container c) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvVar v : c.getEnv()) {
            if (v.getValueFrom() == null) {
                environment.put(v.getName(), v.getValue());
            } else if (v.getValueFrom().getSecretKeyRef() != null) {
                assertThat(v.getValueFrom().getSecretKeyRef().getName())
                        .as(v.getName())
                        .isEqualTo(SINKS_DB_SECRET);
                environment.put(v.getName(), "from-secret:" + v.getName());
            } else {
                environment.put(
                        v.getName(),
                        "from-configmap:" + v.getValueFrom().getConfigMapKeyRef().getKey());
            }
        }
        return environment;
    }

    /** {@code -Xms} = {@code -Xmx}, memory request = limit, and room outside the heap. */
    private static void assertFitsItsLimit(String env, Container c) {
        String command = String.join(" ", c.getCommand());
        Matcher xmx = Pattern.compile("-Xmx(\\d+)([mg])\\b").matcher(command);
        assertThat(xmx.find()).as(env + ": explicit heap in " + command).isTrue();
        assertThat(command).contains("-Xms" + xmx.group(1) + xmx.group(2));
        long heap = Long.parseLong(xmx.group(1)) << (xmx.group(2).equals("g") ? 30 : 20);
        Quantity limit = c.getResources().getLimits().get("memory");
        assertThat(c.getResources().getRequests().get("memory")).isEqualTo(limit);
        assertThat(Quantity.getAmountInBytes(limit).longValue())
                .as(env + ": " + c.getName() + " memory limit")
                .isGreaterThanOrEqualTo(heap + OFF_HEAP);
        assertThat(c.getResources().getRequests()).containsKey("cpu");
        assertThat(c.getResources().getLimits()).containsKey("cpu");
    }

    private static String after(List<String> args, String name) {
        int i = args.indexOf(name);
        assertThat(i).as(name).isNotNegative();
        return args.get(i + 1);
    }

    private static void assertHasMain(String className) {
        try {
            Class<?> type =
                    Class.forName(
                            className, false, ReconciliationManifestsTest.class.getClassLoader());
            assertThat(type.getMethod("main", String[].class).getModifiers() & Modifier.STATIC)
                    .isNotZero();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(className + " has no public static main(String[])", e);
        }
    }
}
