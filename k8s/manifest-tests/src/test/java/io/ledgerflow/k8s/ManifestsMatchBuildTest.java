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
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests and Dockerfiles name what the build produces: its Flink version, its project
 * version as image tag, the jar files the images carry, and entry classes that exist in them. No
 * version is typed into k8s/ by hand.
 */
class ManifestsMatchBuildTest {

    private static final String JOBS_JAR = System.getProperty("ledgerflow.jobs.jar");

    private final String flinkVersion = BuildFacts.flinkVersion();
    private final String projectVersion = BuildFacts.projectVersion();

    @Test
    void flinkDeploymentsRunTheBuildsFlinkVersionAndImage() {
        for (Manifest m : flinkDeployments()) {
            JsonNode spec = m.node().get("spec");
            assertThat(spec.get("flinkVersion").asText())
                    .isEqualTo(BuildFacts.operatorFlinkVersion(flinkVersion));
            assertThat(spec.get("image").asText()).endsWith(":" + projectVersion);
            assertThat(spec.at("/job/jarURI").asText())
                    .isEqualTo("local:///opt/flink/usrlib/" + JOBS_JAR);
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
    void theJobImageIsBuiltFromTheSameFlinkAndCarriesTheJarTheManifestsName() {
        String dockerfile = renderedDockerfile("flink-job");
        assertThat(dockerfile)
                .containsPattern("(?m)^FROM flink:" + Pattern.quote(flinkVersion) + "-java17$");
        assertThat(dockerfile)
                .containsPattern(
                        "(?m)^COPY .*jobs/target/"
                                + Pattern.quote(JOBS_JAR)
                                + " /opt/flink/usrlib/"
                                + Pattern.quote(JOBS_JAR)
                                + "$");
        assertThat(dockerfile).contains("flink-s3-fs-hadoop-" + flinkVersion + ".jar");
        assertThat(dockerfile).contains("flink-metrics-prometheus-" + flinkVersion + ".jar");
    }

    @Test
    void theIngestApiImageRunsTheBuildsJavaAndJar() {
        String dockerfile = renderedDockerfile("ingest-api");
        String java = BuildFacts.rootProperties().get("java.version");
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:" + java + "-jre$");
        assertThat(dockerfile).contains("ingest-api/target/ingest-api-" + projectVersion + ".jar");
    }

    @Test
    void theJobsModuleBuildsTheJarUnderTheNameTheManifestsUse() {
        Optional<String> shaded = BuildFacts.shadedJarName("jobs");
        assertThat(shaded).as("the shaded job jar jobs/pom.xml builds").contains(JOBS_JAR);
    }

    @Test
    void everyFlinkEntryClassExistsInTheJobsJarAndHasAMain() throws Exception {
        Path shadedJar = Manifests.root().resolve("jobs/target").resolve(JOBS_JAR);
        for (Manifest m : flinkDeployments()) {
            String entryClass = m.node().at("/spec/job/entryClass").asText();
            assertThat(entryClass).as(m.toString()).isNotBlank();
            assertHasMain(entryClass);
            Path jar = shadedJar;
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
