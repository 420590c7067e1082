package io.ledgerflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.ledgerflow.k8s.testutils.BuildFacts;
import io.ledgerflow.k8s.testutils.Manifests;
import io.ledgerflow.k8s.testutils.StrictKubernetesModel;
import io.ledgerflow.settlement.SettlementCommand;
import io.ledgerflow.settlement.SettlementConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settlement command's CronJob runs one pass at a time, bounded in time and memory, with
 * arguments the command's own parser accepts and its passwords only from the sinks job's Secret;
 * its image carries the jar the settlement module builds.
 */
class SettlementCronJobTest {

    @Test
    void theCommandAcceptsEveryArgumentAndTakesItsPasswordsFromTheSinksSecret() {
        for (String env : Manifests.ENVIRONMENTS) {
            Container container = container(cronJob(env));
            String[] args = container.getArgs().toArray(String[]::new);
            assertThat(container.getArgs()).noneMatch(a -> a.matches("(?i)--\\S*password"));

            Map<String, String> fakeEnvironment = new HashMap<>();
            for (String variable :
                    List.of(
                            SettlementConfig.POSTGRES_PASSWORD_ENV,
                            SettlementConfig.CLICKHOUSE_PASSWORD_ENV)) {
                EnvVar var = env(container, variable);
                assertThat(var.getValue()).as(variable + " has a literal value").isNull();
                // The same Secret and keys as the sinks job: one rotation covers both.
                assertThat(var.getValueFrom().getSecretKeyRef().getName())
                        .isEqualTo("ledgerflow-sinks-db");
                assertThat(var.getValueFrom().getSecretKeyRef().getKey())
                        .isEqualTo(
                                variable.equals(SettlementConfig.POSTGRES_PASSWORD_ENV)
                                        ? "postgres-password"
                                        : "clickhouse-password");
                assertThat(var.getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(true);
                fakeEnvironment.put(variable, "from-secret:" + variable);
            }
            // The command's own parser, as its main runs it: an unknown name or a refused value
            // throws here instead of failing every pass.
            SettlementConfig config = SettlementConfig.fromArgs(args, fakeEnvironment);
            assertThat(config.once()).as("a CronJob runs one pass and exits").isTrue();
            assertThat(config.postgres().password().reveal())
                    .isEqualTo("from-secret:" + SettlementConfig.POSTGRES_PASSWORD_ENV);
            assertThat(config.clickHouse()).as("batches are copied to ClickHouse").isNotNull();
            assertThat(config.clickHouse().password().reveal())
                    .isEqualTo("from-secret:" + SettlementConfig.CLICKHOUSE_PASSWORD_ENV);

            // The same read model and analytics store as the sinks job.
            List<String> sinksArgs = new ArrayList<>();
            Manifests.find(env, "FlinkDeployment", "sinks")
                    .node()
                    .at("/spec/job/args")
                    .forEach(a -> sinksArgs.add(a.asText()));
            for (String name :
                    List.of(
                            "--postgres-url",
                            "--postgres-user",
                            "--clickhouse-url",
                            "--clickhouse-database",
                            "--clickhouse-user",
                            "--bootstrap-servers",
                            "--schema-registry-url")) {
                assertThat(FlinkDeploymentsTest.argument(container.getArgs(), name))
                        .as(env + " " + name)
                        .isEqualTo(FlinkDeploymentsTest.argument(sinksArgs, name));
            }
        }
    }

    @Test
    void onePassAtATimeBoundedInTimeAndMemory() {
        for (String env : Manifests.ENVIRONMENTS) {
            CronJob cronJob = cronJob(env);
            assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            assertThat(cronJob.getSpec().getSchedule()).matches("\\S+ \\S+ \\S+ \\S+ \\S+");
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            // A hung pass is killed before the next scheduled run would be skipped for it.
            assertThat(job.getActiveDeadlineSeconds()).isNotNull().isPositive();
            assertThat(job.getActiveDeadlineSeconds())
                    .isLessThanOrEqualTo(everyMinutes(cronJob.getSpec().getSchedule()) * 60L);
            PodSpec pod = job.getTemplate().getSpec();
            assertThat(pod.getRestartPolicy()).isEqualTo("Never");

            Container container = container(cronJob);
            Quantity limit = container.getResources().getLimits().get("memory");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getRequests().get("memory")).isEqualTo(limit);
            String javaOpts = env(container, "JAVA_OPTS").getValue();
            Matcher xmx = Pattern.compile("-Xmx(\\d+)([mg])").matcher(javaOpts);
            assertThat(xmx.find()).as("explicit heap in " + javaOpts).isTrue();
            long heap = Long.parseLong(xmx.group(1)) << (xmx.group(2).equals("g") ? 30 : 20);
            // Metaspace, thread stacks and the Kafka producer's buffers live outside the heap.
            assertThat(Quantity.getAmountInBytes(limit).longValue())
                    .isGreaterThanOrEqualTo(heap + (128L << 20));
        }
    }

    @Test
    void theImageRunsTheBuildsJavaAndTheSettlementJar() throws Exception {
        String dockerfile =
                Manifests.read(Manifests.rendered().resolve("docker/settlement/Dockerfile"));
        String java = BuildFacts.rootProperties().get("java.version");
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:" + java + "-jre$");
        String jar = BuildFacts.shadedJarName("settlement").orElseThrow();
        assertThat(dockerfile).containsPattern("(?m)^COPY settlement/target/" + jar + " ");
        assertThat(dockerfile).contains("-jar /opt/ledgerflow/" + jar);
        for (String env : Manifests.ENVIRONMENTS) {
            assertThat(container(cronJob(env)).getImage())
                    .endsWith("/ledgerflow-settlement:" + BuildFacts.projectVersion());
        }

        // java -jar runs the manifest's Main-Class: the command, with its main, inside the jar.
        Path built = Manifests.root().resolve("settlement/target").resolve(jar);
        assertThat(built).as("built by the reactor before this module").exists();
        try (JarFile file = new JarFile(built.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(SettlementCommand.class.getName());
            assertThat(
                            file.getEntry(
                                    SettlementCommand.class.getName().replace('.', '/') + ".class"))
                    .isNotNull();
        }
        Method main = SettlementCommand.class.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
    }

    private static CronJob cronJob(String env) {
        return StrictKubernetesModel.read(
                Manifests.find(env, "CronJob", "settlement").node(), CronJob.class);
    }

    private static Container container(CronJob cronJob) {
        List<Container> containers =
                cronJob.getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    /** The minutes between runs of a {@code *}{@code /N * * * *} schedule. */
    private static int everyMinutes(String schedule) {
        Matcher every = Pattern.compile("^\\*/(\\d+) \\* \\* \\* \\*$").matcher(schedule);
        assertThat(every.matches())
                .as("a schedule of one run every N minutes: " + schedule)
                .isTrue();
        return Integer.parseInt(every.group(1));
    }
}
