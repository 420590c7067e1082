package io.ledgerflow.k8s.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The manifests as the build rendered them ({@code target/k8s/<env>/}), one {@link Manifest} per
 * YAML document. The tests only ever look at rendered files: what is applied is what is tested.
 */
public final class Manifests {

    /** The environments, one parameter file each in {@code k8s/env/}. */
    public static final List<String> ENVIRONMENTS = List.of("dev", "prod");

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {}

    /** One YAML document of a rendered file. */
    public record Manifest(String env, Path file, int index, ObjectNode node) {

        public String kind() {
            return node.path("kind").asText();
        }

        public String apiVersion() {
            return node.path("apiVersion").asText();
        }

        public String name() {
            return node.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return env
                    + ":"
                    + rendered().relativize(file)
                    + "#"
                    + index
                    + " "
                    + kind()
                    + "/"
                    + name();
        }
    }

    /** {@code k8s/manifest-tests/target/k8s}. */
    public static Path rendered() {
        return Path.of(System.getProperty("k8s.rendered", "target/k8s"));
    }

    /** {@code k8s/}: templates, parameter files, Dockerfiles. */
    public static Path sources() {
        return Path.of(System.getProperty("k8s.sources", "..")).normalize();
    }

    /** The repository root. */
    public static Path root() {
        return Path.of(System.getProperty("ledgerflow.root", "../..")).normalize();
    }

    /** Every manifest of every environment that is applied ({@code manifests/}, not variants). */
    public static List<Manifest> all() {
        List<Manifest> all = new ArrayList<>();
        for (String env : ENVIRONMENTS) {
            all.addAll(of(env));
        }
        return all;
    }

    /** The applied manifests of one environment. */
    public static List<Manifest> of(String env) {
        return load(env, rendered().resolve(env).resolve("manifests"));
    }

    /** The variants of one environment (patches over applied manifests). */
    public static List<Manifest> variants(String env) {
        return load(env, rendered().resolve(env).resolve("variants"));
    }

    public static List<Manifest> ofKind(String env, String kind) {
        return of(env).stream().filter(m -> m.kind().equals(kind)).toList();
    }

    /** The one manifest of this kind and name in {@code env}. */
    public static Manifest find(String env, String kind, String name) {
        return ofKind(env, kind).stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + env));
    }

    /** Every rendered YAML file under {@code dir}. */
    public static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses every document of a file; a document that is only comments is skipped. */
    public static List<ObjectNode> parse(Path file) {
        List<ObjectNode> docs = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new IllegalStateException(file + ": a document is not a mapping: " + doc);
                }
                docs.add((ObjectNode) doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + " does not parse", e);
        }
        return docs;
    }

    private static List<Manifest> load(String env, Path dir) {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : yamlFiles(dir)) {
            List<ObjectNode> docs = parse(file);
            for (int i = 0; i < docs.size(); i++) {
                manifests.add(new Manifest(env, file, i, docs.get(i)));
            }
        }
        return manifests;
    }

    /** Reads a text file. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
