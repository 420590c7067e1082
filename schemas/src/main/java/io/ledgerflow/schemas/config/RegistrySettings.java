package io.ledgerflow.schemas.config;

import java.io.Serializable;

/**
 * Where the Confluent-API schema registry is.
 *
 * @param url the registry's base URL ({@code .../apis/ccompat/v7} for Apicurio)
 */
public record RegistrySettings(String url) implements Serializable {

    /** The local registry ({@code bin/local-servers}). */
    public static final RegistrySettings LOCAL =
            new RegistrySettings("http://127.0.0.1:8081/apis/ccompat/v7");

    /** The setting's name, the same in every process. */
    public static final String URL = "schema-registry-url";

    /** Reads {@value #URL}: an http or https URL. */
    public static RegistrySettings read(Settings s, RegistrySettings defaults) {
        return new RegistrySettings(s.url(URL, defaults.url(), "http", "https"));
    }
}
