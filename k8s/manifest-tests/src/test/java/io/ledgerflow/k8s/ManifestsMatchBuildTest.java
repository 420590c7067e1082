package io.ledgerflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.k8s.testutils.BuildFacts;
import io.ledgerflow.k8s.testutils.Manifests;
import io.ledgerflow.k8s.testutils.Manifests.Manifest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests and Dockerfiles name what the build produces: its Flink version, its project
 * version as image tag, the jar files the images carry (one per job image), and entry classes that
 * exist in them. No version is typed into k8s/ by hand.
 */
class ManifestsMatchBuildTest {

    /**
     * A FlinkDeployment, the module whose shaded jar it runs (named by a root pom property), and
     * the image (a stage of the flink-job Dockerfile) that carries that jar and nothing else.
     */
    record FlinkJob(String deployment, String module, String jar, String image, String stage) {}

    static final List<FlinkJob> FLINK_JOBS =
            List.of(
                    new FlinkJob(
                            "ledger",
                            "jobs",
                            System.getProperty("ledgerflow.jobs.jar"),
                            "ledgerflow-flink-jobs",
                            "jobs"),
                    new FlinkJob(
                            "sinks",
                            "sinks",
                            System.getProperty("ledgerflow.sinks.jar"),
                            "ledgerflow-flink-sinks",
                            "sinks"));

    private final String flinkVersion = BuildFacts.flinkVersion();
    private final String projectVersion = BuildFacts.projectVersion();

    @Test
    void everyFlinkDeploymentIsAKnownJobAndEveryJobIsDeployedEverywhere() {
        for (Manifest m : flinkDeployments()) {
            job(m);
        }
        for (String env : Manifests.ENVIRONMENTS) {
            for (FlinkJob job : FLINK_JOBS) {
                Manifests.find(env, "FlinkDeployment", job.deployment());
            }
        }
    }

    @Test
    void flinkDeploymentsRunTheBuildsFlinkVersionAndImage() {
        for (Manifest m : flinkDeployments()) {
            FlinkJob job = job(m);
            JsonNode spec = m.node().get("spec");
            assertThat(spec.get("flinkVersion").asText())
                    .isEqualTo(BuildFacts.operatorFlinkVersion(flinkVersion));
            assertThat(spec.get("image").asText())
                    .as(m.toString())
                    .endsWith("/" + job.image() + ":" + projectVersion);
            assertThat(spec.at("/job/jarURI").asText())
                    .as(m.toString())
                    .isEqualTo("local:///opt/flink/usrlib/" + job.jar());
        }
    }

    @Test
    void everyContainerImageIsTaggedWithTheProjectVersion() {
        for (Manifest m : Manifests.all()) {
            for (JsonNode image : m.node().findValues("image")) {
                assertThat(image.asText()).as(m.toString()).endsWith(":" + projectVersion);
            }
        }
    }

    @Test
    void theJobImagesAreBuiltFromTheSameFlinkAndEachCarriesOnlyTheJarItsManifestNames() {
        String dockerfile = renderedDockerfile("flink-job");
        assertThat(dockerfile)
                .containsPattern(
                        "(?m)^FROM flink:" + Pattern.quote(flinkVersion) + "-java17( AS \\S+)?$");
        assertThat(dockerfile).contains("flink-s3-fs-hadoop-" + flinkVersion + ".jar");
        assertThat(dockerfile).contains("flink-metrics-prometheus-" + flinkVersion + ".jar");
        Map<String, String> stages = stages(dockerfile);
        for (FlinkJob job : FLINK_JOBS) {
            assertThat(stages).as("a Dockerfile stage " + job.stage()).containsKey(job.stage());
            String stage = stages.get(job.stage());
            assertThat(baseImage(stages, job.stage()))
                    .as(job.stage())
                    .isEqualTo("flink:" + flinkVersion + "-java17");
            assertThat(stage)
                    .as(job.stage())
                    .containsPattern(
                            "(?m)^COPY .*"
                                    + Pattern.quote(job.module() + "/target/" + job.jar())
                                    + " /opt/flink/usrlib/"
                                    + Pattern.quote(job.jar())
                                    + "$");
            // Everything in usrlib is on the job's class path: one jar per image.
            assertThat(
                            Pattern.compile("(?m)^COPY .* /opt/flink/usrlib/\\S*$")
                                    .matcher(stage)
                                    .results()
                                    .count())
                    .as(job.stage() + ": jars copied into usrlib")
                    .isEqualTo(1);
        }
    }

    @Test
    void theIngestApiImageRunsTheBuildsJavaAndJar() {
        String dockerfile = renderedDockerfile("ingest-api");
        String java = BuildFacts.rootProperties().get("java.version");
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:" + java + "-jre$");
        assertThat(dockerfile).contains("ingest-api/target/ingest-api-" + projectVersion + ".jar");
    }

    @Test
    void eachJobModuleBuildsTheJarUnderTheNameTheManifestsUse() {
        for (FlinkJob job : FLINK_JOBS) {
            assertThat(job.jar()).as(job.module() + " jar property").isNotBlank();
            Optional<String> shaded = BuildFacts.shadedJarName(job.module());
            assertThat(shaded)
                    .as("the shaded job jar " + job.module() + "/pom.xml builds")
                    .contains(job.jar());
        }
        assertThat(FLINK_JOBS.stream().map(FlinkJob::jar).distinct()).hasSameSizeAs(FLINK_JOBS);
    }

    @Test
    void everyFlinkEntryClassExistsInItsJobsJarAndHasAMain() throws Exception {
        for (Manifest m : flinkDeployments()) {
            FlinkJob job = job(m);
            String entryClass = m.node().at("/spec/job/entryClass").asText();
            assertThat(entryClass).as(m.toString()).isNotBlank();
            assertHasMain(entryClass);
            Path jar = Manifests.root().resolve(job.module()).resolve("target").resolve(job.jar());
            assertThat(jar).as("built by the reactor before this module").exists();
            assertThat(entries(jar)).as(jar.toString()).contains(classFile(entryClass));
        }
    }

    @Test
    void theIngestApiEntryClassExistsInItsJarAndHasAMain() throws Exception {
        Matcher main =
                Pattern.compile("(io\\.ledgerflow\\.[\\w.]+Main)\\b")
                        .matcher(renderedDockerfile("ingest-api"));
        assertThat(main.find()).isTrue();
        assertHasMain(main.group(1));
        Path jar =
                Manifests.root().resolve("ingest-api/target/ingest-api-" + projectVersion + ".jar");
        assertThat(jar).exists();
        assertThat(entries(jar)).contains(classFile(main.group(1)));
    }

    @Test
    void noVersionIsTypedIntoK8sByHand() throws IOException {
        List<String> versions = new ArrayList<>(List.of(flinkVersion, projectVersion));
        versions.add(BuildFacts.operatorFlinkVersion(flinkVersion));
        try (Stream<Path> files = Files.walk(Manifests.sources())) {
            List<Path> templates =
                    files.filter(Files::isRegularFile)
                            .filter(
                                    p ->
                                            !p.startsWith(
                                                    Manifests.sources().resolve("manifest-tests")))
                            .filter(p -> !p.getFileName().toString().endsWith(".md"))
                            .toList();
            assertThat(templates).isNotEmpty();
            for (Path template : templates) {
                String text = Manifests.read(template);
                for (String version : versions) {
                    assertThat(text).as(template.toString()).doesNotContain(version);
                }
                assertThat(text)
                        .as(template + ": image tags come from @project.version@")
                        .doesNotContainPattern("(?m)image: \\S+:(?!@project\\.version@)\\S+$");
            }
        }
    }

    private static List<Manifest> flinkDeployments() {
        List<Manifest> all =
                Manifests.all().stream().filter(m -> m.kind().equals("FlinkDeployment")).toList();
        assertThat(all).isNotEmpty();
        return all;
    }

    private static FlinkJob job(Manifest m) {
        return FLINK_JOBS.stream()
                .filter(j -> j.deployment().equals(m.name()))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        m + ": a FlinkDeployment FLINK_JOBS does not know"));
    }

    /** Each {@code FROM ... AS name} stage of a Dockerfile: its text from its FROM line on. */
    private static Map<String, String> stages(String dockerfile) {
        Map<String, String> stages = new LinkedHashMap<>();
        Matcher from = Pattern.compile("(?m)^FROM \\S+(?: AS (\\S+))?$").matcher(dockerfile);
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (from.find()) {
            starts.add(from.start());
            names.add(from.group(1) == null ? "#" + names.size() : from.group(1));
        }
        starts.add(dockerfile.length());
        for (int i = 0; i < names.size(); i++) {
            stages.put(names.get(i), dockerfile.substring(starts.get(i), starts.get(i + 1)));
        }
        return stages;
    }

    /** The image a stage is built from, following {@code FROM <stage>} to the external image. */
    private static String baseImage(Map<String, String> stages, String stage) {
        String current = stage;
        for (int depth = 0; depth < 10; depth++) {
            Matcher from = Pattern.compile("^FROM (\\S+)").matcher(stages.get(current));
            assertThat(from.find()).isTrue();
            if (!stages.containsKey(from.group(1))) {
                return from.group(1);
            }
            current = from.group(1);
        }
        throw new AssertionError("stage " + stage + " is built from itself");
    }

    private static String renderedDockerfile(String image) {
        return Manifests.read(
                Manifests.rendered().resolve("docker").resolve(image).resolve("Dockerfile"));
    }

    private static void assertHasMain(String className) throws ClassNotFoundException {
        Class<?> type =
                Class.forName(className, false, ManifestsMatchBuildTest.class.getClassLoader());
        assertThat(type.getMethods())
                .as(className + " has public static void main(String[])")
                .anySatisfy(
                        (Method method) -> {
                            assertThat(method.getName()).isEqualTo("main");
                            assertThat(Modifier.isStatic(method.getModifiers())).isTrue();
                            assertThat(method.getParameterTypes()).containsExactly(String[].class);
                        });
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).toList();
        }
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }
}
