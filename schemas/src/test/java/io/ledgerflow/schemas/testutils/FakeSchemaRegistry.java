package io.ledgerflow.schemas.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-process stand-in for the Confluent Schema Registry API, for {@code *Test}s that must run
 * without servers: register (with BACKWARD checks when a subject asks for them), schema by id,
 * subject config. {@link #stop()} makes it unreachable, like a registry outage. The {@code
 * *ITCase}s use the real registry instead.
 */
public final class FakeSchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean loseRaces;
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private int nextId = 1;

    private FakeSchemaRegistry(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake registry on a free loopback port. */
    public static FakeSchemaRegistry start() {
        try {
            return new FakeSchemaRegistry(
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, as {@code SchemaRegistryConfig} expects it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** HTTP requests served so far. */
    public int requests() {
        return requests.get();
    }

    /** Makes every following response wait this long (for timeout tests). */
    public void delayResponses(Duration delay) {
        this.delay = delay;
    }

    /** The next {@code count} requests answer 500, like an overloaded registry. */
    public void failNextRequests(int count) {
        failuresToServe.set(count);
    }

    /**
     * From now on, a registration answers 409 "already exists" while the schema does get
     * registered: what Apicurio's Confluent API answers the loser of two concurrent first
     * registrations of a subject.
     */
    public void loseRegistrationRaces() {
        loseRaces = true;
    }

    /** Registers a schema directly, as another producer would have, and returns its id. */
    public synchronized int register(String subject, Schema schema) {
        int id = idsBySchema.computeIfAbsent(schema.toString(), text -> nextId++);
        schemasById.put(id, schema.toString());
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(schema);
        return id;
    }

    /** Stops answering: connections are refused from now on. */
    public void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            if (failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(exchange, 500, error(50001, "busy"));
                return;
            }
            String method = exchange.getRequestMethod();
            String[] path = exchange.getRequestURI().getRawPath().substring(1).split("/");
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (method.equals("GET") && path.length == 3 && path[0].equals("schemas")) {
                schemaById(exchange, Integer.parseInt(path[2]));
            } else if (method.equals("POST") && path.length == 3 && path[2].equals("versions")) {
                register(exchange, decode(path[1]), JSON.readTree(body).get("schema").asText());
            } else if (method.equals("POST") && path.length == 2 && path[0].equals("subjects")) {
                lookUp(exchange, decode(path[1]), JSON.readTree(body).get("schema").asText());
            } else if (method.equals("PUT") && path.length == 2 && path[0].equals("config")) {
                String level = JSON.readTree(body).get("compatibility").asText();
                synchronized (this) {
                    compatibilityBySubject.put(decode(path[1]), level);
                }
                respond(exchange, 200, JSON.createObjectNode().put("compatibility", level));
            } else {
                respond(exchange, 404, error(404, "no such endpoint"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void schemaById(HttpExchange exchange, int id) throws IOException {
        String schema = schemasById.get(id);
        if (schema == null) {
            respond(exchange, 404, error(40403, "Schema " + id + " not found"));
        } else {
            respond(exchange, 200, JSON.createObjectNode().put("schema", schema));
        }
    }

    private synchronized void register(HttpExchange exchange, String subject, String text)
            throws IOException {
        Schema schema = new Schema.Parser().parse(text);
        if ("BACKWARD".equals(compatibilityBySubject.get(subject))) {
            List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
            if (!versions.isEmpty()
                    && SchemaCompatibility.checkReaderWriterCompatibility(
                                            schema, versions.get(versions.size() - 1))
                                    .getType()
                            != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                respond(exchange, 409, error(409, "Schema being registered is incompatible"));
                return;
            }
        }
        int id = register(subject, schema);
        if (loseRaces) {
            respond(
                    exchange,
                    409,
                    error(409, "An artifact with ID '" + subject + "' already exists."));
            return;
        }
        respond(exchange, 200, JSON.createObjectNode().put("id", id));
    }

    private synchronized void lookUp(HttpExchange exchange, String subject, String text)
            throws IOException {
        Schema schema = new Schema.Parser().parse(text);
        Integer id = idsBySchema.get(schema.toString());
        if (id == null || !versionsBySubject.getOrDefault(subject, List.of()).contains(schema)) {
            respond(exchange, 404, error(40403, "Schema not found"));
        } else {
            respond(exchange, 200, JSON.createObjectNode().put("subject", subject).put("id", id));
        }
    }

    private static JsonNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
