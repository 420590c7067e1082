package io.ledgerflow.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.ConfluentAvroEncoder;
import io.ledgerflow.schemas.serde.ConfluentWireFormat;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import io.ledgerflow.schemas.testutils.SampleRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The codec and client against the real registry (Apicurio's Confluent API). */
@ExtendWith(SchemaRegistryExtension.class)
class SchemaRegistryITCase {

    /** Subjects unique per run: the registry lives as long as the test JVM. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void roundTripsEveryRecordTypeAndTheIdResolvesInTheRegistry(SchemaRegistryServer registry)
            throws Exception {
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());
        for (SpecificRecord record : SampleRecords.all()) {
            String topic = "it-" + run + "-" + record.getSchema().getName();
            byte[] bytes = encoder(client, topic, record).encode(record);

            // A fresh client: nothing cached, the id must resolve in the registry itself.
            SchemaRegistryClient fresh = SchemaRegistryClient.forUrl(registry.url());
            assertThat(new ConfluentAvroDecoder<>(fresh, record.getClass()).decode(bytes))
                    .isEqualTo(record);
            Schema stored = schemaViaRest(registry.url(), ConfluentWireFormat.schemaId(bytes));
            assertThat(SchemaNormalization.toParsingForm(stored))
                    .isEqualTo(SchemaNormalization.toParsingForm(record.getSchema()));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> ConfluentAvroEncoder<T> encoder(
            SchemaRegistryClient client, String topic, T record) {
        return ConfluentAvroEncoder.forTopic(client, topic, (Class<T>) record.getClass());
    }

    private static Schema schemaViaRest(String url, int id) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id))
                                        .header("Accept", SchemaRegistryClient.CONTENT_TYPE)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String text = new ObjectMapper().readTree(response.body()).get("schema").asText();
        return new Schema.Parser().parse(text);
    }

    @Test
    void unknownIdIsUnknownSchemaId(SchemaRegistryServer registry) {
        var decoder =
                new ConfluentAvroDecoder<>(
                        SchemaRegistryClient.forUrl(registry.url()), MoneyMovement.class);

        assertThatThrownBy(
                        () -> decoder.decode(new byte[] {0, 0x3b, (byte) 0x9a, (byte) 0xca, 0, 2}))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(
                                                InvalidRecordException.Reason.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void incompatibleSchemaUnderBackwardSubjectIsRefusedWith409(SchemaRegistryServer registry) {
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());
        String subject = "it-" + run + "-compat-value";
        Schema v1 = SchemaBuilder.record("Probe").fields().requiredString("a").endRecord();
        Schema compatible =
                SchemaBuilder.record("Probe")
                        .fields()
                        .requiredString("a")
                        .name("b")
                        .type()
                        .longType()
                        .longDefault(0)
                        .endRecord();
        Schema incompatible =
                SchemaBuilder.record("Probe")
                        .fields()
                        .requiredString("a")
                        .requiredLong("c")
                        .endRecord();
        client.register(subject, v1);
        client.setCompatibility(subject, CompatibilityLevel.BACKWARD);

        assertThat(client.register(subject, compatible)).isNotEqualTo(client.register(subject, v1));
        assertThatThrownBy(() -> client.register(subject, incompatible))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(409);
                            assertThat(e.isIncompatible()).isTrue();
                            assertThat(e.responseBody()).isNotBlank();
                        })
                .hasMessageContaining("HTTP 409");
    }
}
