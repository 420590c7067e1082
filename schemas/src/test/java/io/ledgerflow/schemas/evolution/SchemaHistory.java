package io.ledgerflow.schemas.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;

/**
 * The recorded versions of every top-level Avro type ({@code src/main/avro-history/<Name>/v1.avsc,
 * v2.avsc, ...}, each self-contained) and the two rules a schema change must keep:
 *
 * <ol>
 *   <li>the current schema is recorded: it equals the latest version, in parsing canonical form and
 *       also in defaults and logical types (which the canonical form drops but which change how old
 *       data reads);
 *   <li>it is BACKWARD compatible with every recorded version: a reader with the current schema can
 *       read data written with any of them (Kafka topics and Flink savepoints keep old data around,
 *       so "transitive", not only the previous version).
 * </ol>
 */
final class SchemaHistory {

    static final Path SOURCE_DIR = Path.of("src/main/avro");
    static final Path HISTORY_DIR = Path.of("src/main/avro-history");

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    /** Simple type name to its versions, v1 first. */
    private final Map<String, List<Schema>> versionsByName;

    private SchemaHistory(Map<String, List<Schema>> versionsByName) {
        this.versionsByName = versionsByName;
    }

    /** Reads every {@code <Name>/vN.avsc} under {@code historyDir}. */
    static SchemaHistory load(Path historyDir) {
        Map<String, List<Schema>> versionsByName = new TreeMap<>();
        try (Stream<Path> typeDirs = Files.list(historyDir)) {
            for (Path typeDir : typeDirs.filter(Files::isDirectory).toList()) {
                versionsByName.put(typeDir.getFileName().toString(), loadVersions(typeDir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SchemaHistory(versionsByName);
    }

    private static List<Schema> loadVersions(Path typeDir) throws IOException {
        Map<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(typeDir)) {
            for (Path file : entries.toList()) {
                Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
                if (!matcher.matches()) {
                    throw new IllegalStateException(file + " is not named vN.avsc (N = 1, 2, ...)");
                }
                files.put(Integer.parseInt(matcher.group(1)), file);
            }
        }
        List<Schema> versions = new ArrayList<>();
        for (Map.Entry<Integer, Path> file : files.entrySet()) {
            if (file.getKey() != versions.size() + 1) {
                throw new IllegalStateException(
                        typeDir
                                + ": versions must run v1, v2, ... without gaps, found "
                                + files.keySet());
            }
            // A fresh parser per file: each version is self-contained and may redefine names.
            versions.add(new Schema.Parser().parse(file.getValue().toFile()));
        }
        return versions;
    }

    /**
     * The top-level type of every {@code .avsc} in {@code sourceDir}, by simple name. Files may
     * refer to types of other files in any order (the Maven plugin needs an explicit order).
     */
    static Map<String, Schema> currentSchemas(Path sourceDir) {
        List<Path> pending;
        try (Stream<Path> files = Files.list(sourceDir)) {
            pending = files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Schema> knownTypes = new LinkedHashMap<>();
        Map<String, Schema> topLevel = new TreeMap<>();
        while (!pending.isEmpty()) {
            List<Path> unresolved = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Path file : pending) {
                Schema.Parser parser = new Schema.Parser().addTypes(knownTypes);
                try {
                    Schema schema = parser.parse(file.toFile());
                    String expectedFile = schema.getName() + ".avsc";
                    if (!file.getFileName().toString().equals(expectedFile)) {
                        throw new IllegalStateException(
                                file
                                        + " defines "
                                        + schema.getName()
                                        + ": name it "
                                        + expectedFile);
                    }
                    topLevel.put(schema.getName(), schema);
                    knownTypes.putAll(parser.getTypes());
                } catch (SchemaParseException e) {
                    unresolved.add(file);
                    errors.add(file.getFileName() + ": " + e.getMessage());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (unresolved.size() == pending.size()) {
                throw new IllegalStateException("cannot parse Avro schemas: " + errors);
            }
            pending = unresolved;
        }
        return topLevel;
    }

    /** This history plus {@code schema} as the next version of {@code name} (in memory only). */
    SchemaHistory withVersion(String name, Schema schema) {
        Map<String, List<Schema>> copy = new TreeMap<>(versionsByName);
        List<Schema> versions = new ArrayList<>(copy.getOrDefault(name, List.of()));
        versions.add(schema);
        copy.put(name, versions);
        return new SchemaHistory(copy);
    }

    /** Every rule broken by the current schemas; empty if all is well. */
    List<String> problems(Map<String, Schema> currentByName) {
        List<String> problems = new ArrayList<>();
        currentByName.forEach((name, schema) -> problems.addAll(problems(name, schema)));
        for (String name : versionsByName.keySet()) {
            if (!currentByName.containsKey(name)) {
                problems.add(
                        name
                                + " has a history but no schema in "
                                + SOURCE_DIR
                                + ": removing a type strands the data written with it");
            }
        }
        return problems;
    }

    /** Every rule the current schema of {@code name} breaks; empty if all is well. */
    List<String> problems(String name, Schema current) {
        List<Schema> versions = versionsByName.getOrDefault(name, List.of());
        if (versions.isEmpty()) {
            return List.of(
                    name
                            + " has no history: add "
                            + HISTORY_DIR.resolve(name).resolve("v1.avsc")
                            + " (the current schema, self-contained)");
        }
        List<String> problems = new ArrayList<>();
        Schema latest = versions.get(versions.size() - 1);
        if (!sameSchema(current, latest)) {
            problems.add(
                    name
                            + " differs from its latest recorded version v"
                            + versions.size()
                            + ": record the change as "
                            + HISTORY_DIR
                                    .resolve(name)
                                    .resolve("v" + (versions.size() + 1) + ".avsc"));
        }
        for (int i = 0; i < versions.size(); i++) {
            List<String> incompatibilities = backwardIncompatibilities(current, versions.get(i));
            if (!incompatibilities.isEmpty()) {
                problems.add(
                        name
                                + " is not BACKWARD compatible: it cannot read data written with v"
                                + (i + 1)
                                + ": "
                                + String.join("; ", incompatibilities));
            }
        }
        return problems;
    }

    /**
     * Why a reader with schema {@code reader} cannot read data written with {@code writer}; empty
     * if it can.
     */
    static List<String> backwardIncompatibilities(Schema reader, Schema writer) {
        List<String> found = new ArrayList<>();
        for (Incompatibility incompatibility :
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                        .getResult()
                        .getIncompatibilities()) {
            found.add(
                    incompatibility.getType()
                            + " at "
                            + incompatibility.getLocation()
                            + " ("
                            + incompatibility.getMessage()
                            + ")");
        }
        return found;
    }

    /**
     * Same parsing canonical form, and same defaults and logical types ({@link Schema#equals}
     * compares those but not docs).
     */
    static boolean sameSchema(Schema a, Schema b) {
        return SchemaNormalization.toParsingForm(a).equals(SchemaNormalization.toParsingForm(b))
                && a.equals(b);
    }
}
