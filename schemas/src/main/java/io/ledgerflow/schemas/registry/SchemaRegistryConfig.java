package io.ledgerflow.schemas.registry;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the schema registry is and how long to wait for it. Serializable, so Flink operators can
 * carry it and build their {@link SchemaRegistryClient} in {@code open()}.
 *
 * @param url Confluent Schema Registry base URL, e.g. {@code http://host:8080/apis/ccompat/v7} (no
 *     trailing slash needed)
 * @param connectTimeout bound on opening a connection
 * @param requestTimeout bound on one request, from sending to the full response
 */
public record SchemaRegistryConfig(String url, Duration connectTimeout, Duration requestTimeout)
        implements Serializable {

    /** Short: a registry that does not accept a connection in this time is treated as down. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Bounds how long a cache miss can stall a producer call or a Flink task; registry calls are
     * rare after warm-up.
     */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public SchemaRegistryConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("schema registry URL must be http(s): " + url);
        }
    }

    /** A config with the default timeouts. */
    public static SchemaRegistryConfig of(String url) {
        return new SchemaRegistryConfig(url, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public SchemaRegistryConfig withTimeouts(Duration connectTimeout, Duration requestTimeout) {
        return new SchemaRegistryConfig(url, connectTimeout, requestTimeout);
    }
}
