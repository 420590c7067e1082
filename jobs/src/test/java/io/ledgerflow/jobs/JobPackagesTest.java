package io.ledgerflow.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jobs' packages depend one way: {@code ledger} (the ledger job: its way in, the ledger, the
 * wiring) uses {@code fraud} (the screen) and {@code results}; {@code fraud} knows nothing of the
 * ledger, and {@code results} nothing of either. A reference the other way would bring back the
 * loop that tied the screen to admission's internals; this test reads the main sources and fails on
 * one.
 */
class JobPackagesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/ledgerflow/jobs");

    @Test
    void theFraudScreenKnowsNothingOfTheLedger() throws IOException {
        assertThat(referencesIn("fraud", "io.ledgerflow.jobs.ledger")).isEmpty();
    }

    @Test
    void resultsKnowNothingOfTheStagesThatGiveThem() throws IOException {
        assertThat(referencesIn("results", "io.ledgerflow.jobs.ledger")).isEmpty();
        assertThat(referencesIn("results", "io.ledgerflow.jobs.fraud")).isEmpty();
    }

    @Test
    void theCheckSeesAReferenceWhereThereIsOne() throws IOException {
        assertThat(referencesIn("ledger", "io.ledgerflow.jobs.fraud")).isNotEmpty();
    }

    /** The files of {@code pkg} that name {@code other} (an import or a qualified name). */
    private static List<String> referencesIn(String pkg, String other) throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> read(f).contains(other + "."))
                    .map(f -> f.getFileName().toString())
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
