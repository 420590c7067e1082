package io.ledgerflow.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.InvalidRecordException.Reason;
import io.ledgerflow.schemas.testutils.FakeSchemaRegistry;
import io.ledgerflow.schemas.testutils.SampleRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Confluent wire format, caching and schema evolution, against an in-process registry. */
class ConfluentAvroCodecTest {

    private final FakeSchemaRegistry registry = FakeSchemaRegistry.start();
    private final SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());
    private final ConfluentAvroEncoder<LedgerRequest> encoder =
            ConfluentAvroEncoder.forTopic(client, Topics.LEDGER_REQUESTS, LedgerRequest.class);
    private final ConfluentAvroDecoder<LedgerRequest> decoder =
            new ConfluentAvroDecoder<>(client, LedgerRequest.class);

    @AfterEach
    void stopRegistry() {
        registry.stop();
    }

    @Test
    void roundTripsEveryRecordType() {
        for (SpecificRecord record : SampleRecords.all()) {
            assertThat(roundTrip(record)).isEqualTo(record);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> T roundTrip(T record) {
        Class<T> type = (Class<T>) record.getClass();
        byte[] bytes = ConfluentAvroEncoder.forTopic(client, "some-topic", type).encode(record);
        return new ConfluentAvroDecoder<>(client, type).decode(bytes);
    }

    @Test
    void writesMagicByteAndBigEndianSchemaIdUnderTheTopicValueSubject() {
        int id = registry.register("other-value", SchemaBuilder.builder().stringType());
        byte[] bytes = encoder.encode(request());

        assertThat(bytes[0]).isZero();
        assertThat(ConfluentWireFormat.schemaId(bytes))
                .isEqualTo(encoder.schemaId())
                .isEqualTo(id + 1)
                .isEqualTo(
                        client.register("ledger.requests-value", LedgerRequest.getClassSchema()));
    }

    @Test
    void readsSchemaIdsAboveOneByte() {
        byte[] header = {0, 0x01, 0x02, 0x03, (byte) 0xff};
        assertThat(ConfluentWireFormat.schemaId(header)).isEqualTo(0x010203ff);
    }

    @Test
    void rejectsBytesWithoutTheConfluentHeader() {
        assertInvalid(null, Reason.NOT_CONFLUENT_AVRO, "no value");
        assertInvalid(new byte[0], Reason.NOT_CONFLUENT_AVRO, "0 byte(s) long");
        assertInvalid(new byte[] {0, 0, 0, 1}, Reason.NOT_CONFLUENT_AVRO, "4 byte(s) long");
        byte[] wrongMagic = encoder.encode(request());
        wrongMagic[0] = 1;
        assertInvalid(wrongMagic, Reason.NOT_CONFLUENT_AVRO, "byte 0x01");
        assertInvalid(
                "{\"json\":true}".getBytes(), Reason.NOT_CONFLUENT_AVRO, "not the Confluent magic");
    }

    @Test
    void rejectsTruncatedBodies() {
        byte[] bytes = encoder.encode(request());
        assertInvalid(
                Arrays.copyOf(bytes, bytes.length - 3), Reason.UNDECODABLE, "does not decode");
        assertInvalid(Arrays.copyOf(bytes, 5), Reason.UNDECODABLE, "does not decode");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = encoder.encode(request());
        assertInvalid(Arrays.copyOf(bytes, bytes.length + 2), Reason.UNDECODABLE, "left over");
    }

    @Test
    void rejectsSchemaIdsTheRegistryDoesNotKnow() {
        assertInvalid(new byte[] {0, 0, 0, 0x30, 0x39, 2}, Reason.UNKNOWN_SCHEMA_ID, "12345");
    }

    @Test
    void rejectsRecordsOfAnotherType() {
        TransactionResult result = (TransactionResult) SampleRecords.all().get(4);
        byte[] bytes =
                ConfluentAvroEncoder.forTopic(client, "results", TransactionResult.class)
                        .encode(result);

        assertInvalid(
                bytes, Reason.UNDECODABLE, "cannot be read as io.ledgerflow.avro.LedgerRequest");
    }

    @Test
    void keepsWorkingWhenTheRegistryGoesDownAfterWarmUp() {
        LedgerRequest request = request();
        decoder.decode(encoder.encode(request));
        int requestsAfterWarmUp = registry.requests();

        registry.stop();

        for (int i = 0; i < 3; i++) {
            assertThat(decoder.decode(encoder.encode(request))).isEqualTo(request);
        }
        assertThat(registry.requests()).isEqualTo(requestsAfterWarmUp);
    }

    @Test
    void uncachedIdWhileTheRegistryIsDownIsRetryable() {
        registry.stop();

        InvalidRecordException e =
                assertInvalid(
                        new byte[] {0, 0, 0, 0, 7, 2},
                        Reason.REGISTRY_UNAVAILABLE,
                        "schema id 7 is not cached");
        assertThat(e.reason().retryable()).isTrue();
    }

    @Test
    void decoderLooksEachWriterSchemaUpOnce() {
        byte[] bytes = encoder.encode(request());
        int before = registry.requests();

        for (int i = 0; i < 5; i++) {
            decoder.decode(bytes);
        }

        // The encoder's registration already put the schema in the shared client's cache.
        assertThat(registry.requests()).isEqualTo(before);
        SchemaRegistryClient freshClient = SchemaRegistryClient.forUrl(registry.url());
        ConfluentAvroDecoder<LedgerRequest> freshDecoder =
                new ConfluentAvroDecoder<>(freshClient, LedgerRequest.class);
        for (int i = 0; i < 5; i++) {
            freshDecoder.decode(bytes);
        }
        assertThat(registry.requests()).isEqualTo(before + 1);
    }

    @Test
    void readsDataWrittenWithAnOlderSchemaIntoTheCurrentClass() throws IOException {
        // MoneyMovement as it might have been before metadata existed.
        Schema current = MoneyMovement.getClassSchema();
        List<Schema.Field> olderFields =
                current.getFields().stream()
                        .filter(f -> !f.name().equals("metadata"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .collect(Collectors.toList());
        Schema older =
                Schema.createRecord(
                        current.getName(), null, current.getNamespace(), false, olderFields);
        int olderId = registry.register("movements-value", older);

        GenericRecord written = new GenericData.Record(older);
        written.put("transactionId", "tx-old");
        written.put("partnerId", "partner-1");
        written.put(
                "type",
                new GenericData.EnumSymbol(older.getField("type").schema(), MovementType.DEPOSIT));
        written.put("destinationAccountId", "acc-2");
        written.put("amountMinor", 500L);
        written.put("currency", "EUR");
        written.put("eventTime", SampleRecords.EVENT_TIME.toEpochMilli());
        written.put("receivedTime", SampleRecords.EVENT_TIME.toEpochMilli());

        MoneyMovement read =
                new ConfluentAvroDecoder<>(client, MoneyMovement.class)
                        .decode(confluentBytes(olderId, older, written));

        assertThat(read.getTransactionId()).isEqualTo("tx-old");
        assertThat(read.getType()).isEqualTo(MovementType.DEPOSIT);
        assertThat(read.getSourceAccountId()).isNull();
        assertThat(read.getEventTime()).isEqualTo(SampleRecords.EVENT_TIME);
        assertThat(read.getMetadata()).isEqualTo(Map.of());
    }

    private static byte[] confluentBytes(int id, Schema schema, GenericRecord record)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(
                new byte[] {
                    0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id
                });
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void reportsRecordsThatCannotBeEncoded() {
        MoneyMovement incomplete = SampleRecords.transfer("tx-1");
        incomplete.setCurrency(null);

        assertThatThrownBy(() -> encoder.encode(new LedgerRequest(incomplete)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot encode io.ledgerflow.avro.LedgerRequest");

        // Encoders reuse a buffer per thread: the failed record's partial bytes must not leak into
        // the next record encoded on this thread.
        assertThat(decoder.decode(encoder.encode(request()))).isEqualTo(request());
    }

    private static LedgerRequest request() {
        return new LedgerRequest(SampleRecords.transfer("tx-1"));
    }

    private InvalidRecordException assertInvalid(byte[] bytes, Reason reason, String message) {
        try {
            decoder.decode(bytes);
        } catch (InvalidRecordException e) {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e).hasMessageContaining(message);
            return e;
        }
        throw new AssertionError("expected " + reason + " for " + Arrays.toString(bytes));
    }
}
