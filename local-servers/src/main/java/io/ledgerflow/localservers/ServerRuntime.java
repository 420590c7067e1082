package io.ledgerflow.localservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the server programs live on this machine, as recorded by the build.
 *
 * <p>The build writes {@code server-runtime.properties} with the class path of the broker and
 * PostgreSQL host JVMs (jars in the local Maven repository), the registry's runnable jar, and the
 * directory of the ClickHouse HTTP front. Child JVMs therefore never depend on the class path of
 * whoever starts them (a Surefire fork, an IDE, the command line).
 */
final class ServerRuntime {

    private static final String RESOURCE = "server-runtime.properties";

    private final Properties properties;

    private ServerRuntime(Properties properties) {
        this.properties = properties;
    }

    static ServerRuntime load() {
        Properties properties = new Properties();
        try (InputStream in = ServerRuntime.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing: build local-servers first");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServerRuntime(properties);
    }

    /** Class path for the Kafka broker and PostgreSQL host JVMs, including this module. */
    String serverClasspath() {
        return ownLocation() + java.io.File.pathSeparator + required("server.classpath");
    }

    /** The Apicurio Registry runnable jar. */
    Path registryJar() {
        return existing(Path.of(required("registry.classpath")), "schema registry jar");
    }

    /** Directory with {@code server.js} and its installed {@code node_modules}. */
    Path clickHouseFrontDir() {
        Path dir = Path.of(required("clickhouse.front.dir"));
        existing(dir.resolve("node_modules").resolve("chdb"), "chDB (run the build: npm ci)");
        return dir;
    }

    /** This module's classes, so child JVMs can run {@link ParentWatch} and our mains. */
    static String ownLocation() {
        try {
            return Path.of(
                            ServerRuntime.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code java} executable of the running JVM; children use the same JDK. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String required(String key) {
        String value = properties.getProperty(key, "").trim();
        if (value.isEmpty() || value.startsWith("${")) {
            throw new IllegalStateException(
                    key + " not set in " + RESOURCE + ": build local-servers with Maven first");
        }
        return value;
    }

    private static Path existing(Path path, String what) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(what + " not found at " + path);
        }
        return path;
    }
}
