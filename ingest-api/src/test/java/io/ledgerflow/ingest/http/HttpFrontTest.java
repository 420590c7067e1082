package io.ledgerflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpFrontTest {

    @Test
    void acceptsJsonWithParametersOnly() {
        assertThat(HttpFront.isJson("application/json")).isTrue();
        assertThat(HttpFront.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(HttpFront.isJson("text/plain")).isFalse();
        assertThat(HttpFront.isJson("application/jsonx")).isFalse();
        assertThat(HttpFront.isJson(null)).isFalse();
    }

    @Test
    void problemTypesAreStableUrls() {
        assertThat(ErrorCode.IDEMPOTENCY_CONFLICT.type())
                .isEqualTo("https://ledgerflow.io/problems/idempotency-conflict");
        assertThat(ErrorCode.KAFKA_UNAVAILABLE.status()).isEqualTo(503);
    }
}
