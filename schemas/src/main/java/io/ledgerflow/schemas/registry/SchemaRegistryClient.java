package io.ledgerflow.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small client for the Confluent Schema Registry REST API (Confluent's own client is not on Maven
 * Central): register a schema under a subject, look a schema up by id, set a subject's
 * compatibility level.
 *
 * <p>Both lookups are cached for the life of the client, and neither cache ever expires: ids are
 * immutable in a registry, and it is the caches that keep producers and jobs running through a
 * registry outage once they have seen their schemas. Failures (including 404) are not cached.
 *
 * <p>Thread-safe; one instance per process (or per Flink operator instance) is enough. Every
 * request is bounded by {@link SchemaRegistryConfig#requestTimeout()}.
 */
public final class SchemaRegistryClient {

    /** Content type of the Confluent API, for requests and responses. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_IN_MESSAGE = 2_000;

    private final SchemaRegistryConfig config;
    private final HttpClient http;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    public SchemaRegistryClient(SchemaRegistryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http =
                HttpClient.newBuilder()
                        // HTTP/1.1: the default would try an h2c upgrade on every plain-HTTP call.
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(config.connectTimeout())
                        .build();
    }

    /** A client for {@code url} with the default timeouts. */
    public static SchemaRegistryClient forUrl(String url) {
        return new SchemaRegistryClient(SchemaRegistryConfig.of(url));
    }

    public SchemaRegistryConfig config() {
        return config;
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it, if already registered) and
     * returns its global id. Cached per subject and schema.
     *
     * @throws SchemaRegistryException if the registry is unreachable or refuses the schema ({@link
     *     SchemaRegistryException#isIncompatible()} for a schema that breaks the subject's
     *     compatibility level)
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String body = json(Map.of("schema", schema.toString()));
        JsonNode response;
        try {
            response = send("POST", "/subjects/" + pathSegment(subject) + "/versions", body);
        } catch (SchemaRegistryException e) {
            if (!e.isIncompatible()) {
                throw e;
            }
            // Two clients registering a subject's first schema at once can get a 409 from some
            // registries (Apicurio's ccompat: "artifact already exists") although the schema is
            // fine. If it is registered by now, use its id; a real incompatibility is not found.
            response = lookUp(subject, body).orElseThrow(() -> e);
        }
        JsonNode id = response.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException(
                    "schema registry answered a registration under "
                            + subject
                            + " without an id: "
                            + abbreviate(response.toString()),
                    200,
                    response.toString(),
                    null);
        }
        idsBySubjectSchema.putIfAbsent(key, id.intValue());
        schemasById.putIfAbsent(id.intValue(), schema);
        return id.intValue();
    }

    /** The registration of exactly this schema under {@code subject}, if there is one. */
    private Optional<JsonNode> lookUp(String subject, String body) {
        try {
            return Optional.of(send("POST", "/subjects/" + pathSegment(subject), body));
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The schema with global id {@code id}. Cached per id.
     *
     * @throws SchemaRegistryException if the id is unknown ({@link
     *     SchemaRegistryException#isNotFound()}) or the registry is unreachable
     * @throws SchemaParseException if the id names something that is not an Avro schema
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("GET", "/schemas/ids/" + id, null);
        JsonNode type = response.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw new SchemaParseException(
                    "schema id " + id + " is a " + type.asText() + " schema, not Avro");
        }
        JsonNode text = response.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaParseException("schema id " + id + " came without a schema text");
        }
        // A new parser per schema: a parser remembers names and refuses to see them twice.
        Schema schema = new Schema.Parser().parse(text.asText());
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /**
     * Sets the compatibility level the registry enforces when new versions are registered under
     * {@code subject}.
     */
    public void setCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + pathSegment(subject), json(Map.of("compatibility", level.name())));
    }

    /** Waits before the second and third attempt when the registry answers 5xx or 429. */
    private static final long[] RETRY_BACKOFF_MILLIS = {100, 500};

    /**
     * One request, tried again (twice, with backoff) when the registry answered but could not serve
     * it (5xx, 429): a loaded registry recovers within moments, and failing a whole job for it
     * would be worse. No answer at all is not retried, so an outage is reported promptly.
     */
    private JsonNode send(String method, String path, String body) {
        for (int attempt = 0; ; attempt++) {
            try {
                return sendOnce(method, path, body);
            } catch (SchemaRegistryException e) {
                boolean busy = e.status() >= 500 || e.status() == 429;
                if (!busy || attempt >= RETRY_BACKOFF_MILLIS.length) {
                    throw e;
                }
                try {
                    Thread.sleep(RETRY_BACKOFF_MILLIS[attempt]);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private JsonNode sendOnce(String method, String path, String body) {
        URI uri = URI.create(config.url() + path);
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(config.requestTimeout())
                        .header("Accept", CONTENT_TYPE + ", application/json")
                        .header("Content-Type", CONTENT_TYPE)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                body, StandardCharsets.UTF_8))
                        .build();
        HttpResponse<String> response;
        try {
            response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "schema registry unreachable: " + method + " " + uri + " failed: " + e,
                    SchemaRegistryException.NO_RESPONSE,
                    "",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    "interrupted while calling the schema registry: " + method + " " + uri,
                    SchemaRegistryException.NO_RESPONSE,
                    "",
                    e);
        }
        String responseBody = response.body() == null ? "" : response.body();
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(
                    "schema registry answered "
                            + method
                            + " "
                            + uri
                            + " with HTTP "
                            + response.statusCode()
                            + ": "
                            + abbreviate(responseBody),
                    response.statusCode(),
                    responseBody,
                    null);
        }
        try {
            return JSON.readTree(responseBody);
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "schema registry answered "
                            + method
                            + " "
                            + uri
                            + " with a body that is not"
                            + " JSON: "
                            + abbreviate(responseBody),
                    response.statusCode(),
                    responseBody,
                    e);
        }
    }

    private static String json(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON string map", e);
        }
    }

    /** Subjects are path segments: encode them, with %20 (not '+') for spaces. */
    private static String pathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_BODY_IN_MESSAGE
                ? text
                : text.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}
