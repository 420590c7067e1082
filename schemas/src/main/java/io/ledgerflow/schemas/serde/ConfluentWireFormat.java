package io.ledgerflow.schemas.serde;

import io.ledgerflow.schemas.serde.InvalidRecordException.Reason;

/**
 * The Confluent wire format every Ledgerflow topic value uses: magic byte {@code 0}, the writer
 * schema's registry id as a 4-byte big-endian int, then the Avro binary encoding.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;

    /** Magic byte plus schema id. */
    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {}

    /** The registry subject of a topic's values (Confluent's TopicNameStrategy). */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /**
     * The schema id in the header of {@code bytes}.
     *
     * @throws InvalidRecordException with {@link Reason#NOT_CONFLUENT_AVRO} if there is no valid
     *     header
     */
    public static int schemaId(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidRecordException(
                    Reason.NOT_CONFLUENT_AVRO, "the record has no value (null)", null);
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new InvalidRecordException(
                    Reason.NOT_CONFLUENT_AVRO,
                    "the value is "
                            + bytes.length
                            + " byte(s) long, shorter than the 5-byte Confluent header (magic"
                            + " byte and schema id)",
                    null);
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new InvalidRecordException(
                    Reason.NOT_CONFLUENT_AVRO,
                    String.format(
                            "the value starts with byte 0x%02x, not the Confluent magic byte 0x00:"
                                    + " it was not written by a schema-registry-aware Avro"
                                    + " serializer",
                            bytes[0]),
                    null);
        }
        return ((bytes[1] & 0xff) << 24)
                | ((bytes[2] & 0xff) << 16)
                | ((bytes[3] & 0xff) << 8)
                | (bytes[4] & 0xff);
    }

    /** Writes the 5-byte header for {@code schemaId} into the start of {@code target}. */
    static void writeHeader(int schemaId, byte[] target) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
