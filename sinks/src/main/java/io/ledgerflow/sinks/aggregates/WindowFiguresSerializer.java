package io.ledgerflow.sinks.aggregates;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes {@link WindowFigures} field by field in a fixed order, instead of Flink's reflective POJO
 * serializer: every state read and write of the windowed aggregates goes through here (RocksDB
 * keeps values serialized), and the POJO serializer's reflective field access and per-field null
 * flags were a fifth of the sinks job's samples with the aggregates on ({@code
 * docs/benchmarks.md}).
 *
 * <p>Format 1: a format byte; scope, partner, currency and account (nullable strings); the nine
 * counters and sums in declaration order; the rejection counts (length, then values); the
 * counterparty sketch ({@link DistinctCountSerializer}). A sketch restored from before issue 19
 * (the {@code counterparties} field) is folded into the written sketch, so this format has no place
 * for it; the object being written is not changed (a snapshot may run beside the task).
 *
 * <p>Upgrades: state written by the POJO serializer migrates (Flink reads it with the old
 * serializer and writes it with this one when the state is first restored), see {@link Snapshot}.
 */
public final class WindowFiguresSerializer extends TypeSerializerSingleton<WindowFigures> {

    private static final long serialVersionUID = 1L;

    static final WindowFiguresSerializer INSTANCE = new WindowFiguresSerializer();

    private static final byte FORMAT_1 = 1;

    /** Beyond any {@code ReasonCode} count: a corrupt length, not figures. */
    private static final int MAX_REASONS = 1 << 12;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public WindowFigures createInstance() {
        return new WindowFigures();
    }

    @Override
    public WindowFigures copy(WindowFigures from) {
        WindowFigures to = new WindowFigures();
        to.scope = from.scope;
        to.partnerId = from.partnerId;
        to.currency = from.currency;
        to.accountId = from.accountId;
        to.movements = from.movements;
        to.totalMinor = from.totalMinor;
        to.totalMinorHigh = from.totalMinorHigh;
        to.minMinor = from.minMinor;
        to.maxMinor = from.maxMinor;
        to.approved = from.approved;
        to.approvedMinor = from.approvedMinor;
        to.approvedMinorHigh = from.approvedMinorHigh;
        to.rejected = from.rejected;
        to.rejectionsByReason = from.rejectionsByReason.clone();
        to.counterpartySketch = from.settledSketch().copy();
        return to;
    }

    @Override
    public WindowFigures copy(WindowFigures from, WindowFigures reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(WindowFigures figures, DataOutputView out) throws IOException {
        out.writeByte(FORMAT_1);
        StringValue.writeString(figures.scope, out);
        StringValue.writeString(figures.partnerId, out);
        StringValue.writeString(figures.currency, out);
        StringValue.writeString(figures.accountId, out);
        out.writeLong(figures.movements);
        out.writeLong(figures.totalMinor);
        out.writeLong(figures.totalMinorHigh);
        out.writeLong(figures.minMinor);
        out.writeLong(figures.maxMinor);
        out.writeLong(figures.approved);
        out.writeLong(figures.approvedMinor);
        out.writeLong(figures.approvedMinorHigh);
        out.writeLong(figures.rejected);
        long[] reasons = figures.rejectionsByReason;
        out.writeInt(reasons.length);
        for (long count : reasons) {
            out.writeLong(count);
        }
        DistinctCountSerializer.INSTANCE.serialize(figures.settledSketch(), out);
    }

    @Override
    public WindowFigures deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT_1) {
            throw new IOException("unknown WindowFigures format " + format);
        }
        WindowFigures figures = new WindowFigures();
        figures.scope = StringValue.readString(in);
        figures.partnerId = StringValue.readString(in);
        figures.currency = StringValue.readString(in);
        figures.accountId = StringValue.readString(in);
        figures.movements = in.readLong();
        figures.totalMinor = in.readLong();
        figures.totalMinorHigh = in.readLong();
        figures.minMinor = in.readLong();
        figures.maxMinor = in.readLong();
        figures.approved = in.readLong();
        figures.approvedMinor = in.readLong();
        figures.approvedMinorHigh = in.readLong();
        figures.rejected = in.readLong();
        int reasons = in.readInt();
        if (reasons < 0 || reasons > MAX_REASONS) {
            throw new IOException("WindowFigures with " + reasons + " rejection reasons");
        }
        long[] counts = new long[reasons];
        for (int i = 0; i < reasons; i++) {
            counts[i] = in.readLong();
        }
        figures.rejectionsByReason = counts;
        figures.counterpartySketch = DistinctCountSerializer.INSTANCE.deserialize(in);
        return figures;
    }

    @Override
    public WindowFigures deserialize(WindowFigures reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<WindowFigures> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * No configuration; the version covers the format above. State written by Flink's POJO
     * serializer (before this serializer existed) is compatible after migration: the POJO
     * serializer restored from its snapshot reads it, this one writes it.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WindowFigures> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<WindowFigures> resolveSchemaCompatibility(
                TypeSerializerSnapshot<WindowFigures> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot<WindowFigures>) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}
