package io.ledgerflow.localservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Base of the JUnit 5 extensions that give tests a real server: the first test class that asks
 * starts it (on free ports, in a fresh directory), every later class in the same test JVM reuses
 * it, and it is stopped and its directory deleted when the JVM's test run ends.
 *
 * <p>Tests receive the server as a parameter of a test, lifecycle method or constructor, e.g.
 * {@code @BeforeAll static void setUp(KafkaServer kafka)}.
 *
 * <p>When a test fails, the last lines of the server's log go to standard error: a CI run keeps
 * only the test output, and the server's directory is gone once the JVM ends.
 */
public abstract class ServerExtension<S extends ServerProcess>
        implements BeforeAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ServerExtension.class);

    private final Class<S> serverType;

    protected ServerExtension(Class<S> serverType) {
        this.serverType = serverType;
    }

    /** Creates (does not start) the server with its data under {@code dataDir}. */
    protected abstract S create(Path dataDir);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    /** The running server of this test JVM, started on first use. */
    public S server(ExtensionContext context) {
        Running<?> running =
                context.getRoot()
                        .getStore(NAMESPACE)
                        .getOrComputeIfAbsent(serverType, type -> start(), Running.class);
        return serverType.cast(running.server);
    }

    private Running<S> start() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("ledgerflow-" + serverType.getSimpleName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S server = create(dataDir);
        Running<S> running = new Running<>(server, dataDir);
        try {
            server.start();
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        // Only a server this JVM already started: a failure must not start one.
        Running<?> running = context.getRoot().getStore(NAMESPACE).get(serverType, Running.class);
        if (running != null) {
            System.err.println(
                    "--- "
                            + context.getDisplayName()
                            + " failed; last lines of "
                            + running.server.logFile()
                            + " ---\n"
                            + String.join("\n", running.server.logTail()));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == serverType;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** A started server, stopped and deleted when the root test context closes. */
    private static final class Running<S extends ServerProcess>
            implements ExtensionContext.Store.CloseableResource {
        private final S server;
        private final Path dataDir;

        Running(S server, Path dataDir) {
            this.server = server;
            this.dataDir = dataDir;
        }

        @Override
        public void close() {
            server.stop();
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Temporary data; the next run uses a new directory anyway.
        }
    }
}
