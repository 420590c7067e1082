package io.ledgerflow.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.registry.SchemaRegistryException;
import io.ledgerflow.schemas.serde.ConfluentWireFormat;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import io.ledgerflow.schemas.testutils.FakeSchemaRegistry;
import io.ledgerflow.schemas.testutils.SampleRecords;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private final FakeSchemaRegistry registry = FakeSchemaRegistry.start();
    private final SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());

    @AfterEach
    void stopRegistry() {
        registry.stop();
    }

    @Test
    void roundTripsAndRegistersPerTopic() {
        var serializer = new ConfluentAvroSerializer<>(client, LedgerRequest.class);
        var deserializer = new ConfluentAvroDeserializer<>(client, LedgerRequest.class);
        LedgerRequest request = new LedgerRequest(SampleRecords.openAccount());

        byte[] a = serializer.serialize("a", request);
        byte[] b = serializer.serialize("b", request);

        assertThat(deserializer.deserialize("a", a)).isEqualTo(request);
        assertThat(ConfluentWireFormat.schemaId(b)).isEqualTo(ConfluentWireFormat.schemaId(a));
        assertThat(registry.requests()).isEqualTo(2); // one registration per subject
    }

    @Test
    void tombstonesStayNull() {
        assertThat(new ConfluentAvroSerializer<>(client, AccountState.class).serialize("t", null))
                .isNull();
        assertThat(
                        new ConfluentAvroDeserializer<>(client, AccountState.class)
                                .deserialize("t", null))
                .isNull();
    }

    @Test
    void badBytesThrowInvalidRecordException() {
        var deserializer = new ConfluentAvroDeserializer<>(client, LedgerRequest.class);

        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {'{', '}'}))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(
                                                InvalidRecordException.Reason.NOT_CONFLUENT_AVRO));
    }

    @Test
    void registryDownBeforeFirstSendIsASerializationException() {
        registry.stop();
        var serializer = new ConfluentAvroSerializer<>(client, LedgerRequest.class);

        assertThatThrownBy(
                        () ->
                                serializer.serialize(
                                        "t", new LedgerRequest(SampleRecords.openAccount())))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }
}
