package io.ledgerflow.k8s.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A custom resource's schema as the Flink Kubernetes Operator ships it: the {@code openAPIV3Schema}
 * of one version of a CRD in {@code META-INF/fabric8/} of flink-kubernetes-operator-api, made
 * strict and usable as JSON Schema.
 *
 * <p>Two deliberate changes to the shipped schema, both here and nowhere else:
 *
 * <ul>
 *   <li><b>Unknown fields fail.</b> A CRD schema does not forbid unknown fields: the API server
 *       prunes them silently, so a misspelled {@code upgradMode} would deploy with the default
 *       ({@code stateless}: state lost). Every object schema that lists its properties and neither
 *       declares {@code additionalProperties} nor preserves unknown fields gets {@code
 *       additionalProperties: false}, like {@code kubectl apply --validate=strict}.
 *   <li><b>The build's Flink version is accepted.</b> The newest operator API on Maven Central
 *       (1.10.0) enumerates {@code flinkVersion} only up to {@code v1_20}; the cluster runs a newer
 *       operator that knows the Flink 2 versions. {@link #withFlinkVersion} adds exactly that one
 *       enum constant and reports whether it had to; everything else is the shipped schema.
 * </ul>
 */
public final class OperatorCrdSchema {

    private final JsonSchema schema;
    private final List<String> shippedFlinkVersions;
    private final boolean flinkVersionAdded;

    private OperatorCrdSchema(
            JsonSchema schema, List<String> shippedFlinkVersions, boolean flinkVersionAdded) {
        this.schema = schema;
        this.shippedFlinkVersions = shippedFlinkVersions;
        this.flinkVersionAdded = flinkVersionAdded;
    }

    /** The FlinkDeployment schema of {@code version} (e.g. {@code v1beta1}). */
    public static OperatorCrdSchema flinkDeployment(String version, String flinkVersion) {
        return load("flinkdeployments.flink.apache.org-v1.yml", version, flinkVersion);
    }

    /** The FlinkSessionJob schema of {@code version}. */
    public static OperatorCrdSchema flinkSessionJob(String version) {
        return load("flinksessionjobs.flink.apache.org-v1.yml", version, null);
    }

    /** Schema violations of a custom resource; empty when it is valid. */
    public List<String> validate(JsonNode resource) {
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(resource)) {
            problems.add(message.getInstanceLocation() + ": " + message.getMessage());
        }
        return problems;
    }

    /** The {@code flinkVersion} constants the shipped CRD enumerates. */
    public List<String> shippedFlinkVersions() {
        return shippedFlinkVersions;
    }

    /** Whether the build's Flink version had to be added to the shipped enum. */
    public boolean flinkVersionAdded() {
        return flinkVersionAdded;
    }

    private static OperatorCrdSchema load(String file, String version, String flinkVersion) {
        JsonNode crd;
        try (InputStream in =
                OperatorCrdSchema.class
                        .getClassLoader()
                        .getResourceAsStream("META-INF/fabric8/" + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        file + " not on the class path (flink-kubernetes-operator-api)");
            }
            crd = Manifests.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode schemaNode = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                schemaNode = (ObjectNode) v.path("schema").path("openAPIV3Schema").deepCopy();
            }
        }
        if (schemaNode == null) {
            throw new IllegalArgumentException(file + " has no version " + version);
        }
        // The API server adds these to every kind; the CRD does not list them.
        ObjectNode properties = (ObjectNode) schemaNode.get("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("type", "object");
        tighten(schemaNode);
        List<String> shipped = new ArrayList<>();
        boolean added = false;
        JsonNode flinkVersionNode = schemaNode.at("/properties/spec/properties/flinkVersion");
        if (flinkVersionNode.has("enum")) {
            ArrayNode constants = (ArrayNode) flinkVersionNode.get("enum");
            constants.forEach(c -> shipped.add(c.asText()));
            if (flinkVersion != null && !shipped.contains(flinkVersion)) {
                constants.add(flinkVersion);
                added = true;
            }
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                        .getSchema(schemaNode, config);
        return new OperatorCrdSchema(schema, List.copyOf(shipped), added);
    }

    /** Forbids unknown fields wherever the schema lists the known ones (see class comment). */
    static void tighten(JsonNode node) {
        if (node instanceof ObjectNode object) {
            boolean listsProperties = object.has("properties");
            boolean open =
                    object.has("additionalProperties")
                            || object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (listsProperties && !open) {
                object.put("additionalProperties", false);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                // "properties" maps names to schemas; a property that happens to be called
                // "properties" is still a schema, so recursing into every value is right.
                tighten(field.getValue());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(OperatorCrdSchema::tighten);
        }
    }
}
