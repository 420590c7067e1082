package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.flink.types.Fields;
import io.ledgerflow.jobs.ledger.AdmissionSerializers.ClaimedRequestSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;
import org.junit.jupiter.api.Test;

/**
 * Requests waiting at admission in a snapshot are read in the {@code LedgerRequest} schema they
 * were written with: the readers for earlier versions are exactly the recorded schemas, and a
 * request written by the version before {@code MoneyMovement.externalReference} (snapshot version
 * 4) restores with its hold expiry and metadata intact.
 */
class ClaimedRequestSnapshotTest {

    private static final Path HISTORY = Path.of("../schemas/src/main/avro-history/LedgerRequest");

    @Test
    void theReadersOfEarlierVersionsAreTheRecordedSchemas() throws IOException {
        assertThat(canonical(AdmissionSerializers.ledgerRequestWithout("externalReference")))
                .isEqualTo(canonical(recorded("v2.avsc")));
        // v1's AccountCommand and enums have grown since, compatibly; its movement is the same.
        assertThat(
                        canonical(
                                movement(
                                        AdmissionSerializers.ledgerRequestWithout(
                                                "holdExpiresInMillis", "externalReference"))))
                .isEqualTo(canonical(movement(recorded("v1.avsc"))));
        assertThat(canonical(LedgerRequest.getClassSchema()))
                .isNotEqualTo(canonical(recorded("v2.avsc")));
    }

    @Test
    void aRequestWrittenBeforeTheExternalReferenceRestores() throws Exception {
        MoneyMovement hold =
                MoneyMovement.newBuilder()
                        .setTransactionId("h-1")
                        .setPartnerId("p-1")
                        .setType(MovementType.HOLD)
                        .setSourceAccountId("acc-1")
                        .setAmountMinor(500)
                        .setCurrency("EUR")
                        .setEventTime(Instant.parse("2026-12-01T10:00:00Z"))
                        .setReceivedTime(Instant.parse("2026-12-01T10:00:01Z"))
                        .setMetadata(Map.of("orderId", "o-9"))
                        .setHoldExpiresInMillis(60_000L)
                        .build();
        // The layout of ClaimedRequestSerializer, with the request in LedgerRequest v2.
        DataOutputSerializer out = new DataOutputSerializer(256);
        Fields.writeString("acc-1", out);
        Fields.writeString("p-1\u0000tx\u0000h-1", out);
        out.writeLong(42L);
        out.writeBoolean(true);
        DataOutputEncoder encoder = new DataOutputEncoder();
        encoder.setOut(out);
        new SpecificDatumWriter<LedgerRequest>(
                        recorded("v2.avsc"), SpecificData.getForClass(LedgerRequest.class))
                .write(new LedgerRequest(hold), encoder);
        out.writeByte(0); // no verdict
        out.writeBoolean(true);

        ClaimedRequestSnapshot snapshot = new ClaimedRequestSnapshot();
        snapshot.readSnapshot(
                4, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        TypeSerializer<ClaimedRequest> serializer = snapshot.restoreSerializer();
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ClaimedRequest restored = serializer.deserialize(in);

        assertThat(in.available()).isZero();
        assertThat(restored.fingerprint).isEqualTo(42L);
        assertThat(restored.wellFormed).isTrue();
        MoneyMovement back = (MoneyMovement) restored.request.getRequest();
        assertThat(back.getHoldExpiresInMillis()).isEqualTo(60_000L);
        assertThat(back.getMetadata()).isEqualTo(Map.of("orderId", "o-9"));
        assertThat(back.getExternalReference()).isNull();
        assertThat(
                        new ClaimedRequestSnapshot()
                                .resolveSchemaCompatibility(snapshot)
                                .isCompatibleAfterMigration())
                .isTrue();
    }

    private static Schema recorded(String version) throws IOException {
        return new Schema.Parser().parse(HISTORY.resolve(version).toFile());
    }

    private static Schema movement(Schema request) {
        return request.getField("request").schema().getTypes().get(0);
    }

    private static String canonical(Schema schema) {
        return SchemaNormalization.toParsingForm(schema);
    }
}
