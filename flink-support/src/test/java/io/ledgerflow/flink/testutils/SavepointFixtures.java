package io.ledgerflow.flink.testutils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.util.FileUtils;

/**
 * Savepoints of earlier versions kept in a module's test resources ({@code
 * upgrade/<job>/<version>/} with {@code savepoint/} and {@code fixture.properties}), for the tests
 * that restore each of them into the current version: where they are, what was written with them,
 * and a working copy.
 */
public final class SavepointFixtures {

    public static final String SAVEPOINT = "savepoint";
    public static final String PROPERTIES = "fixture.properties";

    private SavepointFixtures() {}

    /**
     * The versions under {@code resourceFolder} (e.g. {@code /upgrade/ledger}), oldest name first.
     */
    public static List<String> versions(String resourceFolder) {
        try (Stream<Path> folders = Files.list(folder(resourceFolder))) {
            return folders.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture's folder on the test class path. */
    public static Path folder(String resource) {
        try {
            return Path.of(SavepointFixtures.class.getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(resource, e);
        }
    }

    public static void writeProperties(Path folder, Properties properties) throws IOException {
        try (OutputStream out = Files.newOutputStream(folder.resolve(PROPERTIES))) {
            properties.store(out, "A savepoint fixture: see SavepointFixtures");
        }
    }

    public static Properties readProperties(Path folder) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(folder.resolve(PROPERTIES))) {
            properties.load(in);
        }
        return properties;
    }

    /**
     * Copies a savepoint's folder: a restore in CLAIM mode may delete what it restored, and a
     * fixture must stay as it is.
     */
    public static void copy(Path from, Path to) throws IOException {
        FileUtils.copy(
                new org.apache.flink.core.fs.Path(from.toUri()),
                new org.apache.flink.core.fs.Path(to.toUri()),
                false);
    }
}
