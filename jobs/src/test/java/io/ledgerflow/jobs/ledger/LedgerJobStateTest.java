package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.flink.testutils.JobOperators;
import io.ledgerflow.flink.testutils.StateSerializers;
import io.ledgerflow.flink.testutils.StateSerializers.RegisteredState;
import io.ledgerflow.jobs.fraud.FraudAlertWindows;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The ledger job's savepoint contract, state by state: every stateful operator (by uid), the names
 * of its states, and the serializer each state is written with, as a snapshot records them. A
 * savepoint restores only if all of this still matches, so a change here is a change of the
 * contract: make it on purpose, with the runbook's compatibility rules.
 *
 * <p>Also a guard on how state is serialized: POJO state types get Flink's {@code PojoSerializer}
 * (field by field, evolvable), Avro types Flink's {@code AvroSerializer} (schema in the snapshot),
 * admission's waiting requests their hand-written serializer, and nothing falls back to Kryo, not
 * even a POJO's field ({@code StateSerializersTest} shows the check failing on such states). The
 * list of stateful operators is checked against the job graph: an operator of ours that is neither
 * declared stateful here nor known to be stateless fails the test, so a new one must be classified.
 */
class LedgerJobStateTest {

    /** The stateful operators of our own, by uid, with the function each one runs. */
    private static final Map<String, Class<?>> STATEFUL =
            Map.of(
                    "idempotency-gate", IdempotencyGate.class,
                    "fraud-screen", AdmissionAndScreen.class,
                    "fraud-alert-windows", FraudAlertWindows.class,
                    "ledger", LedgerFunction.class);

    /** Operators without state of their own (decoders, encoders, splits). */
    private static final Set<String> STATELESS =
            Set.of(
                    "decode-ledger-requests",
                    "decode-ledger-instructions",
                    "decode-fraud-rules",
                    "identify-requests",
                    "gate-answers",
                    "encode-results",
                    "encode-ledger-entries",
                    "encode-account-states",
                    "encode-account-command-results",
                    "encode-ledger-instructions",
                    "encode-fraud-alerts",
                    "encode-dead-letters");

    /** Operators whose state belongs to a connector (Kafka offsets, transactions). */
    private static final Set<String> CONNECTORS =
            Set.of(
                    "ledger-requests-source",
                    "ledger-instructions-source",
                    "fraud-rules-source",
                    "ledger-kafka-sink");

    private static final String LONG = "LongSerializer";
    private static final String STRING = "StringSerializer";

    /** TTL's mark: the value is stored with its last-write time ({@code StateRetention}). */
    private static final String TTL = "TTL";

    private static String pojo(String type) {
        return "PojoSerializer<io.ledgerflow.jobs." + type + ">";
    }

    private static String avro(String type) {
        return "AvroSerializer<io.ledgerflow.avro." + type + ">";
    }

    /**
     * What each stateful operator's snapshot records: every state, by kind and name, with the
     * serializers of its keys and values (types only: a field added to a POJO evolves through
     * Flink's PojoSerializer and keeps the contract; a changed type, name or serializer does not).
     */
    private static final Map<String, Map<String, List<String>>> CONTRACT =
            Map.of(
                    "idempotency-gate",
                    Map.of("keyed fingerprint", List.of(TTL, LONG)),
                    "fraud-screen",
                    Map.of(
                            "broadcast fraud-rules",
                            List.of(STRING, avro("FraudRule")),
                            "keyed fraud-profile",
                            List.of(TTL, pojo("fraud.AccountProfile")),
                            "keyed fraud-first-paid",
                            List.of(STRING, TTL, LONG),
                            "keyed fraud-recent",
                            List.of(pojo("fraud.AccountActivity")),
                            "keyed fraud-recent-length",
                            List.of("IntSerializer"),
                            "keyed fraud-last-screened",
                            List.of(LONG),
                            "keyed fraud-cleanup-at",
                            List.of(LONG),
                            "operator admission-waiting",
                            List.of(
                                    "ClaimedRequestSerializer<io.ledgerflow.jobs.ledger"
                                            + ".ClaimedRequest> @io.ledgerflow.jobs.ledger"
                                            + ".AdmissionSerializers$ClaimedRequestSnapshot")),
                    "fraud-alert-windows",
                    Map.of(
                            "keyed fraud-alert-windows",
                            List.of(STRING, avro("FraudAlert")),
                            "keyed fraud-alert-unpublished",
                            List.of(STRING, LONG)),
                    "ledger",
                    Map.of(
                            "keyed account",
                            List.of(pojo("ledger.AccountRecord")),
                            "keyed holds",
                            List.of(STRING, TTL, pojo("ledger.HoldRecord")),
                            "keyed refundable-credits",
                            List.of(STRING, TTL, pojo("ledger.RefundableCredit")),
                            "keyed parked-requests",
                            List.of(LONG, avro("LedgerRequest")),
                            "keyed parked-until",
                            List.of(LONG, LONG),
                            "keyed parked-count",
                            List.of(LONG),
                            "keyed last-parked",
                            List.of(LONG)));

    @Test
    void everyStatefulOperatorKeepsItsStatesAndTheirSerializers() throws Exception {
        Map<String, Map<String, List<String>>> actual = new TreeMap<>();
        actual.put("idempotency-gate", states(StatefulOperators.gate()));
        actual.put("fraud-screen", states(StatefulOperators.admissionAndScreen()));
        actual.put("fraud-alert-windows", states(StatefulOperators.alertWindows()));
        actual.put("ledger", states(StatefulOperators.ledger()));

        Map<String, Map<String, List<String>>> expected = new TreeMap<>();
        CONTRACT.forEach((uid, states) -> expected.put(uid, new TreeMap<>(states)));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void noStateIsWrittenByKryo() throws Exception {
        for (AbstractStreamOperatorTestHarness<?> harness :
                List.of(
                        StatefulOperators.gate(),
                        StatefulOperators.admissionAndScreen(),
                        StatefulOperators.alertWindows(),
                        StatefulOperators.ledger())) {
            List<RegisteredState> states = snapshotOf(harness);
            assertThat(states).isNotEmpty();
            assertThat(states).filteredOn(RegisteredState::usesKryo).isEmpty();
        }
    }

    @Test
    void theDeclaredOperatorsAreTheJobsOwn() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new LedgerJob(LedgerJobConfig.defaults()).build(env);

        JobOperators.assertClassified(
                JobOperators.functionsByUid(env), STATEFUL, STATELESS, CONNECTORS);
    }

    private static Map<String, List<String>> states(AbstractStreamOperatorTestHarness<?> harness)
            throws Exception {
        try (harness) {
            harness.open();
            return StateSerializers.typesByState(harness.snapshot(1, 1));
        }
    }

    private static List<RegisteredState> snapshotOf(AbstractStreamOperatorTestHarness<?> harness)
            throws Exception {
        try (harness) {
            harness.open();
            return StateSerializers.of(harness.snapshot(1, 1));
        }
    }
}
