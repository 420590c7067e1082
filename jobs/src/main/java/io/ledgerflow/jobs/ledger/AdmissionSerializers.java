package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.flink.types.AvroRecordSerializer;
import io.ledgerflow.flink.types.Fields;
import io.ledgerflow.flink.types.RecordSerializer;
import io.ledgerflow.flink.types.RecordTypeInfo;
import io.ledgerflow.jobs.fraud.AccountActivity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How the records of admission travel: claims to the idempotency gate, its answers, and requests
 * with their claims to the account's admission and fraud screen (see {@link
 * io.ledgerflow.flink.types.RecordSerializer} for why by hand). The request inside stays Avro
 * ({@link AvroRecordSerializer}).
 *
 * <p>Only {@link #CLAIMED_REQUEST} is ever in a checkpoint ({@link Admission#SNAPSHOT}, empty at
 * every aligned checkpoint); the format of all four is versioned by their snapshot classes.
 */
public final class AdmissionSerializers {

    private AdmissionSerializers() {}

    public static final RecordTypeInfo<IdClaim> ID_CLAIM =
            new RecordTypeInfo<>(IdClaim.class, IdClaimSerializer::new);

    public static final RecordTypeInfo<GateAnswer> GATE_ANSWER =
            new RecordTypeInfo<>(GateAnswer.class, GateAnswerSerializer::new);

    public static final RecordTypeInfo<ClaimedRequest> CLAIMED_REQUEST =
            new RecordTypeInfo<>(ClaimedRequest.class, ClaimedRequestSerializer::new);

    public static final RecordTypeInfo<ScreenInput> SCREEN_INPUT =
            new RecordTypeInfo<>(ScreenInput.class, ScreenInputSerializer::new);

    /** {@link IdClaim}: every field. */
    public static final class IdClaimSerializer extends RecordSerializer<IdClaim> {
        private static final long serialVersionUID = 1L;

        @Override
        public IdClaimSerializer duplicate() {
            return this; // stateless
        }

        @Override
        public IdClaim createInstance() {
            return new IdClaim();
        }

        @Override
        public void serialize(IdClaim c, DataOutputView out) throws IOException {
            Fields.writeString(c.gateKey, out);
            out.writeLong(c.fingerprint);
            Fields.writeString(c.account, out);
            Fields.writeString(c.inflowAccount, out);
            writeActivity(c.inflow, out);
        }

        @Override
        public IdClaim deserialize(DataInputView in) throws IOException {
            IdClaim c = new IdClaim();
            c.gateKey = Fields.readString(in);
            c.fingerprint = in.readLong();
            c.account = Fields.readString(in);
            c.inflowAccount = Fields.readString(in);
            c.inflow = readActivity(in);
            return c;
        }

        @Override
        public TypeSerializerSnapshot<IdClaim> snapshotConfiguration() {
            return new IdClaimSnapshot();
        }
    }

    /** {@link GateAnswer}: every field. */
    public static final class GateAnswerSerializer extends RecordSerializer<GateAnswer> {
        private static final long serialVersionUID = 1L;

        @Override
        public GateAnswerSerializer duplicate() {
            return this; // stateless
        }

        @Override
        public GateAnswer createInstance() {
            return new GateAnswer();
        }

        @Override
        public void serialize(GateAnswer a, DataOutputView out) throws IOException {
            Fields.writeString(a.account, out);
            Fields.writeString(a.gateKey, out);
            out.writeLong(a.fingerprint);
            writeVerdict(a.verdict, out);
            writeActivity(a.inflow, out);
        }

        @Override
        public GateAnswer deserialize(DataInputView in) throws IOException {
            GateAnswer a = new GateAnswer();
            a.account = Fields.readString(in);
            a.gateKey = Fields.readString(in);
            a.fingerprint = in.readLong();
            a.verdict = readVerdict(in);
            a.inflow = readActivity(in);
            return a;
        }

        @Override
        public TypeSerializerSnapshot<GateAnswer> snapshotConfiguration() {
            return new GateAnswerSnapshot();
        }
    }

    /** {@link ClaimedRequest}: every field; the request as Avro. */
    public static final class ClaimedRequestSerializer extends RecordSerializer<ClaimedRequest> {
        private static final long serialVersionUID = 1L;

        // Not thread-safe (it keeps Avro encoder and decoder state): duplicated with this one.
        private final AvroRecordSerializer<LedgerRequest> requests;

        /** Reads and writes requests in the current schema. */
        public ClaimedRequestSerializer() {
            this(new AvroRecordSerializer<>(LedgerRequest.class));
        }

        private ClaimedRequestSerializer(AvroRecordSerializer<LedgerRequest> requests) {
            this.requests = requests;
        }

        /** Reads requests written before {@code MoneyMovement.holdExpiresInMillis} existed. */
        static ClaimedRequestSerializer readingRequestsBeforeHoldExpiry() {
            return new ClaimedRequestSerializer(
                    AvroRecordSerializer.readingOlder(
                            LedgerRequest.class,
                            ledgerRequestWithout("holdExpiresInMillis", "externalReference")));
        }

        /**
         * Reads requests written with {@code holdExpiresInMillis} but before {@code
         * MoneyMovement.externalReference} existed.
         */
        static ClaimedRequestSerializer readingRequestsBeforeExternalReference() {
            return new ClaimedRequestSerializer(
                    AvroRecordSerializer.readingOlder(
                            LedgerRequest.class, ledgerRequestWithout("externalReference")));
        }

        @Override
        public ClaimedRequestSerializer duplicate() {
            return new ClaimedRequestSerializer(requests.duplicate());
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof ClaimedRequestSerializer other && other.requests.equals(requests);
        }

        @Override
        public int hashCode() {
            return requests.hashCode();
        }

        @Override
        public ClaimedRequest createInstance() {
            return new ClaimedRequest();
        }

        @Override
        public void serialize(ClaimedRequest c, DataOutputView out) throws IOException {
            Fields.writeString(c.account, out);
            Fields.writeString(c.gateKey, out);
            out.writeLong(c.fingerprint);
            if (Fields.writePresence(c.request, out)) {
                requests.serialize(c.request, out);
            }
            writeVerdict(c.verdict, out);
            out.writeBoolean(c.wellFormed);
        }

        @Override
        public ClaimedRequest deserialize(DataInputView in) throws IOException {
            ClaimedRequest c = new ClaimedRequest();
            c.account = Fields.readString(in);
            c.gateKey = Fields.readString(in);
            c.fingerprint = in.readLong();
            c.request = in.readBoolean() ? requests.deserialize(in) : null;
            c.verdict = readVerdict(in);
            c.wellFormed = in.readBoolean();
            return c;
        }

        @Override
        public TypeSerializerSnapshot<ClaimedRequest> snapshotConfiguration() {
            return new ClaimedRequestSnapshot();
        }
    }

    /** {@link ScreenInput}: its account and whichever of request and answer it carries. */
    public static final class ScreenInputSerializer extends RecordSerializer<ScreenInput> {
        private static final long serialVersionUID = 1L;

        private final ClaimedRequestSerializer requests = new ClaimedRequestSerializer();
        private final GateAnswerSerializer answers = new GateAnswerSerializer();

        @Override
        public ScreenInputSerializer duplicate() {
            return new ScreenInputSerializer();
        }

        @Override
        public ScreenInput createInstance() {
            return new ScreenInput();
        }

        @Override
        public void serialize(ScreenInput s, DataOutputView out) throws IOException {
            Fields.writeString(s.accountId, out);
            if (Fields.writePresence(s.request, out)) {
                requests.serialize(s.request, out);
            }
            if (Fields.writePresence(s.answer, out)) {
                answers.serialize(s.answer, out);
            }
        }

        @Override
        public ScreenInput deserialize(DataInputView in) throws IOException {
            ScreenInput s = new ScreenInput();
            s.accountId = Fields.readString(in);
            s.request = in.readBoolean() ? requests.deserialize(in) : null;
            s.answer = in.readBoolean() ? answers.deserialize(in) : null;
            return s;
        }

        @Override
        public TypeSerializerSnapshot<ScreenInput> snapshotConfiguration() {
            return new ScreenInputSnapshot();
        }
    }

    // The verdict as its position in GateVerdict plus one, 0 for none: GateVerdict's order is part
    // of this format (new verdicts go at the end).
    private static void writeVerdict(GateVerdict verdict, DataOutputView out) throws IOException {
        out.writeByte(verdict == null ? 0 : verdict.ordinal() + 1);
    }

    private static GateVerdict readVerdict(DataInputView in) throws IOException {
        int code = in.readByte();
        return code == 0 ? null : GateVerdict.values()[code - 1];
    }

    private static void writeActivity(AccountActivity a, DataOutputView out) throws IOException {
        if (Fields.writePresence(a, out)) {
            out.writeLong(a.time);
            Fields.writeString(a.transactionId, out);
            out.writeLong(a.amountMinor);
            Fields.writeString(a.counterparty, out);
            out.writeBoolean(a.inflow);
        }
    }

    private static AccountActivity readActivity(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        AccountActivity a = new AccountActivity();
        a.time = in.readLong();
        a.transactionId = Fields.readString(in);
        a.amountMinor = in.readLong();
        a.counterparty = Fields.readString(in);
        a.inflow = in.readBoolean();
        return a;
    }

    /** Snapshot of {@link IdClaimSerializer}: no configuration. */
    public static final class IdClaimSnapshot extends SimpleTypeSerializerSnapshot<IdClaim> {
        public IdClaimSnapshot() {
            super(IdClaimSerializer::new);
        }
    }

    /** Snapshot of {@link GateAnswerSerializer}: no configuration. */
    public static final class GateAnswerSnapshot extends SimpleTypeSerializerSnapshot<GateAnswer> {
        public GateAnswerSnapshot() {
            super(GateAnswerSerializer::new);
        }
    }

    /**
     * Snapshot of {@link ClaimedRequestSerializer}. The request's Avro schema is not recorded with
     * it, only which version of {@code LedgerRequest} the snapshot's bytes hold: 2 and 3 (written
     * by Flink's {@code SimpleTypeSerializerSnapshot}, which this class was) hold requests before
     * {@code MoneyMovement.holdExpiresInMillis}; 4 requests with it but before {@code
     * MoneyMovement.externalReference}; {@value #CURRENT_VERSION} the current schema. The only
     * state of this type ({@link Admission#SNAPSHOT}) is empty at aligned checkpoints, but an
     * unaligned one or a test's snapshot may hold waiting requests, and those must still read. A
     * later change of {@code LedgerRequest} adds a version here and a reader for the one before.
     */
    public static final class ClaimedRequestSnapshot
            implements TypeSerializerSnapshot<ClaimedRequest> {

        /** Requests in the schema with {@code externalReference}. */
        static final int CURRENT_VERSION = 5;

        /** Requests in the schema with {@code holdExpiresInMillis}, before externalReference. */
        static final int BEFORE_EXTERNAL_REFERENCE = 4;

        private int readVersion = CURRENT_VERSION;

        public ClaimedRequestSnapshot() {}

        @Override
        public int getCurrentVersion() {
            return CURRENT_VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
                throws IOException {
            switch (version) {
                case 2 -> in.readUTF(); // SimpleTypeSerializerSnapshot v2 wrote a class name
                case 3, BEFORE_EXTERNAL_REFERENCE, CURRENT_VERSION -> {}
                default ->
                        throw new IOException("unknown ClaimedRequestSnapshot version " + version);
            }
            readVersion = version;
        }

        @Override
        public TypeSerializer<ClaimedRequest> restoreSerializer() {
            if (readVersion < BEFORE_EXTERNAL_REFERENCE) {
                return ClaimedRequestSerializer.readingRequestsBeforeHoldExpiry();
            }
            return readVersion < CURRENT_VERSION
                    ? ClaimedRequestSerializer.readingRequestsBeforeExternalReference()
                    : new ClaimedRequestSerializer();
        }

        @Override
        public TypeSerializerSchemaCompatibility<ClaimedRequest> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ClaimedRequest> oldSnapshot) {
            if (!(oldSnapshot instanceof ClaimedRequestSnapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            // Read with the old schema on restore (operator state is read eagerly), then written
            // in the current one.
            return old.readVersion < CURRENT_VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
    }

    /**
     * {@code LedgerRequest} as written before the given {@code MoneyMovement} fields existed: the
     * current schema without them. Without {@code holdExpiresInMillis} and {@code
     * externalReference} it is {@code schemas/src/main/avro-history/LedgerRequest/v1.avsc}, without
     * {@code externalReference} alone {@code v2.avsc}. Both fields were appended and nothing else
     * moved, so dropping them gives the old layout; symbols added to enums since do not change how
     * old bytes read.
     */
    static Schema ledgerRequestWithout(String... addedFields) {
        List<String> dropped = List.of(addedFields);
        Schema movement = MoneyMovement.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : movement.getFields()) {
            if (!dropped.contains(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema oldMovement =
                Schema.createRecord(
                        movement.getName(),
                        movement.getDoc(),
                        movement.getNamespace(),
                        false,
                        fields);
        Schema request = LedgerRequest.getClassSchema();
        return Schema.createRecord(
                request.getName(),
                request.getDoc(),
                request.getNamespace(),
                false,
                List.of(
                        new Schema.Field(
                                "request",
                                Schema.createUnion(oldMovement, AccountCommand.getClassSchema()))));
    }

    /** Snapshot of {@link ScreenInputSerializer}: no configuration. */
    public static final class ScreenInputSnapshot
            extends SimpleTypeSerializerSnapshot<ScreenInput> {
        public ScreenInputSnapshot() {
            super(ScreenInputSerializer::new);
        }
    }
}
