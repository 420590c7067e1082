package io.ledgerflow.flink.types;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** Reading and writing the field kinds the job's records have, nulls included. */
public final class Fields {

    private Fields() {}

    /** A string or null (Flink's own string encoding, which has a null marker). */
    public static void writeString(String value, DataOutputView out) throws IOException {
        StringValue.writeString(value, out);
    }

    public static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    /** A byte array or null: its length (-1 for null) and its bytes. */
    public static void writeBytes(byte[] value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    public static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }

    /** Whether a nullable nested record follows. */
    public static boolean writePresence(Object value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        return value != null;
    }
}
