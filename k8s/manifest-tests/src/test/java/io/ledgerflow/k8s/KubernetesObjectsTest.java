package io.ledgerflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.ledgerflow.ingest.IngestApiConfig;
import io.ledgerflow.k8s.testutils.Manifests;
import io.ledgerflow.k8s.testutils.Manifests.Manifest;
import io.ledgerflow.k8s.testutils.StrictKubernetesModel;
import io.ledgerflow.schemas.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rendered manifest parses and is of a type some validator checks; the Kubernetes objects
 * (and Strimzi topics) read strictly into their models; secrets are only ever referenced; the
 * ingest API is probed, sized and scaled as its README describes.
 */
class KubernetesObjectsTest {

    /** Custom resources validated elsewhere: the operator CRDs, and the Prometheus rules. */
    private static final Set<String> CHECKED_ELSEWHERE =
            Set.of(
                    "flink.apache.org/v1beta1/FlinkDeployment",
                    "flink.apache.org/v1beta1/FlinkSessionJob",
                    "monitoring.coreos.com/v1/PodMonitor",
                    "monitoring.coreos.com/v1/PrometheusRule");

    static Stream<Manifest> manifests() {
        return Manifests.all().stream();
    }

    @Test
    void everyTemplateIsRenderedForEveryEnvironmentWithoutPlaceholdersLeft() {
        // Templates by where they render to: k8s/manifests/x -> manifests/x, and the
        // FlinkDeployments
        // k8s/flink-operator/x -> manifests/flink-operator/x.
        Map<Path, String> sources = new LinkedHashMap<>();
        Path templates = Manifests.sources().resolve("manifests");
        Manifests.yamlFiles(templates)
                .forEach(p -> sources.put(p, templates.relativize(p).toString()));
        Path deployments = Manifests.sources().resolve("flink-operator");
        Manifests.yamlFiles(deployments)
                .forEach(p -> sources.put(p, "flink-operator/" + deployments.relativize(p)));
        assertThat(sources.values()).contains("flink-operator/ledger-job.yaml");
        for (String env : Manifests.ENVIRONMENTS) {
            Path dir = Manifests.rendered().resolve(env).resolve("manifests");
            for (var source : sources.entrySet()) {
                Path rendered = dir.resolve(source.getValue());
                assertThat(rendered).exists();
                assertThat(Manifests.read(rendered))
                        .as(rendered.toString())
                        .doesNotContainPattern("@[A-Za-z][A-Za-z0-9.\\-]*@");
                assertThat(Manifests.parse(rendered)).as(rendered.toString()).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void isOfAKnownTypeAndInItsEnvironmentsNamespace(Manifest m) {
        assertThat(m.name()).as("metadata.name").isNotBlank();
        String type = m.apiVersion() + "/" + m.kind();
        assertThat(
                        StrictKubernetesModel.modelOf(m.apiVersion(), m.kind()).isPresent()
                                || CHECKED_ELSEWHERE.contains(type))
                .as("a validator for " + type)
                .isTrue();
        String namespace = Manifests.find(m.env(), "Namespace", namespaceName(m.env())).name();
        if (!m.kind().equals("Namespace")) {
            assertThat(m.node().at("/metadata/namespace").asText()).isEqualTo(namespace);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void readsStrictlyIntoItsModel(Manifest m) {
        StrictKubernetesModel.modelOf(m.apiVersion(), m.kind())
                .ifPresent(type -> StrictKubernetesModel.read(m.node(), type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/spec/template/spec/containers/0", "/spec", "/metadata"})
    void anUnknownFieldFailsTheStrictRead(String where) {
        ObjectNode broken = Manifests.find("prod", "Deployment", "ingest-api").node().deepCopy();
        ((ObjectNode) broken.at(where)).put("readinesProbe", "typo");
        assertThatThrownBy(() -> StrictKubernetesModel.read(broken, Deployment.class))
                .hasMessageContaining("readinesProbe");
    }

    @Test
    void aWrongTypeFailsTheStrictRead() {
        ObjectNode broken = Manifests.find("prod", "HorizontalPodAutoscaler", "ingest-api").node();
        broken = broken.deepCopy();
        ((ObjectNode) broken.get("spec")).put("minReplicas", "three");
        ObjectNode copy = broken;
        assertThatThrownBy(() -> StrictKubernetesModel.read(copy, HorizontalPodAutoscaler.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void holdsNoSecretValues(Manifest m) {
        assertThat(m.kind()).as("Secrets are created out of band").isNotEqualTo("Secret");
        List<JsonNode> envVars = new ArrayList<>();
        m.node().findParents("name").stream()
                .filter(n -> n.has("value") || n.has("valueFrom"))
                .forEach(envVars::add);
        for (JsonNode var : envVars) {
            if (var.path("name").asText().matches("(?i).*(PASSWORD|SECRET|TOKEN|ACCESS_KEY).*")) {
                assertThat(var.has("value")).as(var.path("name").asText()).isFalse();
            }
        }
        String text = m.node().toString();
        assertThat(text).doesNotContainPattern("(?i)(password|secret-key|access-key)\"\\s*:");
    }

    @Test
    void everyReferencedSecretIsDocumentedInTheRunbook() {
        String runbook = Manifests.read(Manifests.root().resolve("docs/runbook.md"));
        Pattern ref = Pattern.compile("\"(?:secretName|name)\":\"(ledgerflow-[a-z0-9-]+)\"");
        for (Manifest m : Manifests.all()) {
            for (JsonNode holder : m.node().findParents("secretName")) {
                assertThat(runbook).contains(holder.get("secretName").asText());
            }
            for (JsonNode secretRef : m.node().findValues("secretRef")) {
                Matcher found = ref.matcher(secretRef.toString());
                while (found.find()) {
                    assertThat(runbook).contains(found.group(1));
                }
            }
            // Single keys (env valueFrom): the Secret and the key it must hold.
            for (JsonNode keyRef : m.node().findValues("secretKeyRef")) {
                assertThat(runbook)
                        .as(m + " " + keyRef)
                        .contains("`" + keyRef.path("name").asText() + "`")
                        .contains("`" + keyRef.path("key").asText() + "`");
            }
        }
    }

    @Test
    void theIngestApiAcceptsEveryVariableItsManifestGivesIt() {
        for (String env : Manifests.ENVIRONMENTS) {
            Container api = ingestApi(env).getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> variables = new LinkedHashMap<>();
            Manifests.find(env, "ConfigMap", "ledgerflow-settings")
                    .node()
                    .path("data")
                    .fields()
                    .forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
            for (EnvVar v : api.getEnv()) {
                // A Secret's value is not in the manifest; any text stands for it (long enough
                // for the settings that want a key of at least 32 characters, and base64 of 32
                // bytes for the webhook secrets key).
                variables.put(
                        v.getName(),
                        v.getValue() != null
                                ? v.getValue()
                                : "bGVkZ2VyZmxvdy1kZXZlbG9wbWVudC13ZWJob29rcyE=");
            }
            // The API's own parser, as its main runs it: a malformed value fails here, and a
            // LEDGERFLOW_ variable the API does not know (a typo) is listed as unknown.
            Settings settings = Settings.fromEnvironment(variables);
            IngestApiConfig.read(settings);
            assertThat(settings.problems()).as(env).isEmpty();
            assertThat(settings.unknown()).as(env).isEmpty();
        }
    }

    @Test
    void theNotifierAcceptsEveryVariableItsManifestGivesItAndIsProbed() {
        for (String env : Manifests.ENVIRONMENTS) {
            Deployment deployment =
                    StrictKubernetesModel.read(
                            Manifests.find(env, "Deployment", "notifier").node(), Deployment.class);
            Container notifier =
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> variables = new LinkedHashMap<>();
            Map<String, String> shared = new LinkedHashMap<>();
            Manifests.find(env, "ConfigMap", "ledgerflow-settings")
                    .node()
                    .path("data")
                    .fields()
                    .forEachRemaining(e -> shared.put(e.getKey(), e.getValue().asText()));
            variables.putAll(shared);
            for (EnvVar v : notifier.getEnv()) {
                variables.put(
                        v.getName(),
                        v.getValue() != null
                                ? v.getValue()
                                // A Secret's value: a well-formed AES key stands for it.
                                : "bGVkZ2VyZmxvdy1kZXZlbG9wbWVudC13ZWJob29rcyE=");
            }
            Settings settings = Settings.fromEnvironment(variables);
            io.ledgerflow.ingest.webhooks.NotifierConfig.read(settings);
            assertThat(settings.problems()).as(env).isEmpty();
            // Shared settings the notifier does not read are the API's; its own must all be known.
            assertThat(settings.unknown()).as(env).allMatch(shared::containsKey);
            assertThat(notifier.getLivenessProbe().getHttpGet().getPath())
                    .isEqualTo("/health/live");
            assertThat(notifier.getReadinessProbe().getHttpGet().getPath())
                    .isEqualTo("/health/ready");
            assertThat(env(notifier, "JAVA_OPTS")).containsPattern("-Xmx\\d+m");
            assertThat(String.join(" ", notifier.getCommand())).contains("NotifierMain");
        }
    }

    @Test
    void theIngestApiIsProbedSizedAndScaled() {
        for (String env : Manifests.ENVIRONMENTS) {
            Deployment deployment = ingestApi(env);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container api = pod.getContainers().get(0);
            Map<String, String> labels =
                    deployment.getSpec().getTemplate().getMetadata().getLabels();

            assertThat(api.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(api.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
            assertThat(api.getStartupProbe()).isNotNull();
            assertThat(deployment.getSpec().getReplicas()).as("the HPA owns replicas").isNull();

            Quantity limit = api.getResources().getLimits().get("memory");
            assertThat(api.getResources().getRequests()).containsKeys("cpu", "memory");
            String javaOpts = env(api, "JAVA_OPTS");
            Matcher xmx = Pattern.compile("-Xmx(\\d+)([mg])").matcher(javaOpts);
            assertThat(xmx.find()).as("explicit heap in " + javaOpts).isTrue();
            long heap = Long.parseLong(xmx.group(1)) << (xmx.group(2).equals("g") ? 30 : 20);
            assertThat(javaOpts).contains("-Xms" + xmx.group(1) + xmx.group(2));
            // Netty's direct memory, metaspace and threads need room outside the heap.
            assertThat(Quantity.getAmountInBytes(limit).longValue())
                    .isGreaterThanOrEqualTo(heap + (256L << 20) + (128L << 20));

            // Without the keys file the API would accept the built-in development keys.
            String keysFile = env(api, "LEDGERFLOW_API_KEYS_FILE");
            assertThat(api.getVolumeMounts())
                    .anySatisfy(v -> assertThat(keysFile).startsWith(v.getMountPath() + "/"));
            assertThat(api.getEnvFrom())
                    .anySatisfy(
                            e ->
                                    assertThat(e.getConfigMapRef().getName())
                                            .isEqualTo("ledgerflow-settings"));
            Manifests.find(env, "ConfigMap", "ledgerflow-settings");

            HorizontalPodAutoscaler hpa =
                    StrictKubernetesModel.read(
                            Manifests.find(env, "HorizontalPodAutoscaler", "ingest-api").node(),
                            HorizontalPodAutoscaler.class);
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("ingest-api");
            assertThat(hpa.getSpec().getMinReplicas())
                    .isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());

            PodDisruptionBudget pdb =
                    StrictKubernetesModel.read(
                            Manifests.find(env, "PodDisruptionBudget", "ingest-api").node(),
                            PodDisruptionBudget.class);
            assertThat(labels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());

            Service service =
                    StrictKubernetesModel.read(
                            Manifests.find(env, "Service", "ingest-api").node(), Service.class);
            assertThat(labels).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                    .isEqualTo(api.getPorts().get(0).getName());
        }
    }

    private static Deployment ingestApi(String env) {
        return StrictKubernetesModel.read(
                Manifests.find(env, "Deployment", "ingest-api").node(), Deployment.class);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static String namespaceName(String env) {
        return Manifests.ofKind(env, "Namespace").get(0).name();
    }
}
