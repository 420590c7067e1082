package io.ledgerflow.localservers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * A real schema registry speaking the Confluent Schema Registry REST API: Apicurio Registry (built
 * by the {@code local-schema-registry} module), whose Confluent-compatible API lives under {@value
 * #CONFLUENT_API_PATH}. Confluent's own registry is not published on Maven Central.
 */
public final class SchemaRegistryServer extends ServerProcess {

    /** Path of the Confluent-compatible API; clients use {@link #url()} as their registry URL. */
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";

    private final int port;

    public SchemaRegistryServer(Path dataDir, int port, Lifetime lifetime) {
        super("schema-registry", dataDir, lifetime, Duration.ofSeconds(120));
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** The Confluent Schema Registry base URL (what {@code schema.registry.url} expects). */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API_PATH;
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("schema.registry.url", url());
    }

    @Override
    protected List<String> command() {
        Path jar = ServerRuntime.load().registryJar();
        return List.of(
                ServerRuntime.javaExecutable(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:"
                        + dataDir().resolve("registry")
                        // Every write reaches the file at once: a killed registry must not
                        // forget an id that records in Kafka already carry.
                        + ";WRITE_DELAY=0",
                "-cp",
                jar + File.pathSeparator + ServerRuntime.ownLocation(),
                ParentWatch.class.getName(),
                mainClassOf(jar));
    }

    private static String mainClassOf(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Main-Class");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected boolean isReady() {
        return httpOk(url() + "/subjects");
    }
}
