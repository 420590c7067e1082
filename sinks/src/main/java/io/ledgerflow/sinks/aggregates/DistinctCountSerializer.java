package io.ledgerflow.sinks.aggregates;

import java.io.IOException;
import org.apache.datasketches.hll.HllSketch;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link DistinctCount} as the DataSketches compact image of its sketch in the state form
 * (HLL_4, lgK 12): a format byte, the image's length, the image. The image is DataSketches' own
 * versioned, cross-language serialization format, so a later DataSketches version reads it; the
 * format byte is ours, for a change of what we write around it. Every state read and write of a
 * window's figures goes through here (RocksDB keeps them serialized), which is why the image is
 * compact: 4 bytes a member while the set is small, about 2 KiB once the sketch is dense.
 */
public final class DistinctCountSerializer extends TypeSerializerSingleton<DistinctCount> {

    private static final long serialVersionUID = 1L;

    static final DistinctCountSerializer INSTANCE = new DistinctCountSerializer();

    /** The only format so far: the compact image of an HLL_4 sketch. */
    private static final byte FORMAT_HLL_COMPACT = 1;

    /**
     * Beyond any compact image at lgK 12 (HLL_4 is about 2 KiB): a corrupt length, not a sketch.
     */
    private static final int MAX_IMAGE_BYTES = 1 << 16;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public DistinctCount createInstance() {
        return new DistinctCount();
    }

    @Override
    public DistinctCount copy(DistinctCount from) {
        return from.copy();
    }

    @Override
    public DistinctCount copy(DistinctCount from, DistinctCount reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DistinctCount record, DataOutputView out) throws IOException {
        byte[] image = record.sketch().toCompactByteArray();
        out.writeByte(FORMAT_HLL_COMPACT);
        out.writeInt(image.length);
        out.write(image);
    }

    @Override
    public DistinctCount deserialize(DataInputView in) throws IOException {
        return new DistinctCount(HllSketch.heapify(readImage(in)));
    }

    @Override
    public DistinctCount deserialize(DistinctCount reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        byte[] image = readImage(source);
        target.writeByte(FORMAT_HLL_COMPACT);
        target.writeInt(image.length);
        target.write(image);
    }

    private static byte[] readImage(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT_HLL_COMPACT) {
            throw new IOException("unknown DistinctCount format " + format);
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_IMAGE_BYTES) {
            throw new IOException("DistinctCount image of " + length + " bytes");
        }
        byte[] image = new byte[length];
        in.readFully(image);
        return image;
    }

    @Override
    public TypeSerializerSnapshot<DistinctCount> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration; its version covers the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DistinctCount> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
