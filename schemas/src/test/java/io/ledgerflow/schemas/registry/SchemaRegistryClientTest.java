package io.ledgerflow.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.schemas.testutils.FakeSchemaRegistry;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

    private final FakeSchemaRegistry registry = FakeSchemaRegistry.start();
    private final SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url() + "/");

    @AfterEach
    void stopRegistry() {
        registry.stop();
    }

    @Test
    void registersOnceAndLooksUpById() {
        int id = client.register("movements-value", MoneyMovement.getClassSchema());

        assertThat(client.register("movements-value", MoneyMovement.getClassSchema()))
                .isEqualTo(id);
        assertThat(registry.requests()).isEqualTo(1);
        assertThat(SchemaRegistryClient.forUrl(registry.url()).schemaById(id))
                .isEqualTo(MoneyMovement.getClassSchema());
    }

    @Test
    void reportsStatusAndBodyOfRegistryErrors() {
        Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
        Schema v2 =
                SchemaBuilder.record("R")
                        .fields()
                        .requiredString("a")
                        .requiredLong("b")
                        .endRecord();
        client.setCompatibility("r value", CompatibilityLevel.BACKWARD);
        client.register("r value", v1);

        assertThatThrownBy(() -> client.register("r value", v2))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(409);
                            assertThat(e.isIncompatible()).isTrue();
                            assertThat(e.isUnavailable()).isFalse();
                            assertThat(e.responseBody()).contains("incompatible");
                        })
                .hasMessageContaining("/subjects/r%20value/versions")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("incompatible");
    }

    @Test
    void aLostFirstRegistrationRaceStillYieldsTheId() {
        registry.loseRegistrationRaces();

        int id = client.register("raced-value", MoneyMovement.getClassSchema());

        assertThat(SchemaRegistryClient.forUrl(registry.url()).schemaById(id))
                .isEqualTo(MoneyMovement.getClassSchema());
    }

    @Test
    void anOverloadedRegistryIsAskedAgain() {
        registry.failNextRequests(2);

        int id = client.register("busy-value", MoneyMovement.getClassSchema());

        assertThat(registry.requests()).isEqualTo(3);
        assertThat(SchemaRegistryClient.forUrl(registry.url()).schemaById(id))
                .isEqualTo(MoneyMovement.getClassSchema());
    }

    @Test
    void aRegistryThatStaysOverloadedFails() {
        registry.failNextRequests(3);

        assertThatThrownBy(() -> client.register("busy-value", MoneyMovement.getClassSchema()))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(500));
    }

    @Test
    void unknownIdIsNotFound() {
        assertThatThrownBy(() -> client.schemaById(404))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessageContaining("Schema 404 not found");
    }

    @Test
    void unreachableRegistryIsUnavailable() {
        registry.stop();

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
                            assertThat(e.isUnavailable()).isTrue();
                        })
                .hasMessageContaining("unreachable");
    }

    @Test
    void slowRegistryTimesOut() {
        SchemaRegistryClient impatient =
                new SchemaRegistryClient(
                        SchemaRegistryConfig.of(registry.url())
                                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)));
        registry.delayResponses(Duration.ofSeconds(2));

        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.schemaById(1))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class, e -> assertThat(e.isUnavailable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
