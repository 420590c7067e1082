package io.ledgerflow.schemas.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryConfig;
import io.ledgerflow.schemas.testutils.FakeSchemaRegistry;
import io.ledgerflow.schemas.testutils.SampleRecords;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroFlinkSchemasTest {

    private final FakeSchemaRegistry registry = FakeSchemaRegistry.start();

    @AfterEach
    void stopRegistry() {
        registry.stop();
    }

    @Test
    void travelWithTheJobGraphAndRoundTripAfterOpen() throws Exception {
        SchemaRegistryConfig config = SchemaRegistryConfig.of(registry.url());
        // Java serialization, as Flink ships them to the task managers; nothing connects before.
        var serialization =
                InstantiationUtil.clone(
                        new ConfluentAvroSerializationSchema<>(
                                config, Topics.LEDGER_INSTRUCTIONS, LedgerInstruction.class));
        var deserialization =
                InstantiationUtil.clone(
                        new ConfluentAvroDeserializationSchema<>(config, LedgerInstruction.class));
        assertThat(registry.requests()).isZero();

        serialization.open(null);
        deserialization.open(null);
        LedgerInstruction instruction = (LedgerInstruction) SampleRecords.all().get(8);

        assertThat(deserialization.deserialize(serialization.serialize(instruction)))
                .isEqualTo(instruction);
        assertThat(deserialization.getProducedType())
                .isEqualTo(new AvroTypeInfo<>(LedgerInstruction.class));
    }
}
