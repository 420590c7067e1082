package io.ledgerflow.sinks.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.flink.testutils.JobOperators;
import io.ledgerflow.flink.testutils.StateSerializers;
import io.ledgerflow.flink.testutils.StateSerializers.RegisteredState;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The sinks job's savepoint contract: its only state of its own is the aggregates' windows (the
 * source's offsets and the writers' buffers are the connectors'), and each window state keeps its
 * name and serializer (the figures by their own serializer, the latest children as a Flink POJO,
 * nothing by Kryo, not even a POJO's field). The list of stateful operators is checked against the
 * job graph: an operator of ours that is neither declared stateful here nor known to be stateless
 * fails the test.
 */
class SinksJobStateTest {

    /** Our stateful operators by uid, with the function each one runs. */
    private static final Map<String, Class<?>> STATEFUL =
            Map.of(
                    "aggregates-partner-windows", CascadingWindows.class,
                    "aggregates-account-windows", CascadingWindows.class);

    private static final Set<String> STATELESS =
            Set.of(
                    "decode-ledger-outputs",
                    "aggregates-terminal-decisions",
                    "aggregates-event-time",
                    "aggregates-partner-view",
                    "aggregates-account-views",
                    "aggregates-hourly-daily");

    /** The source's offsets and the sinks' buffers belong to their connectors. */
    private static final Set<String> CONNECTOR_PREFIXES =
            Set.of("ledger-outputs-source", "read-model-", "analytics-");

    private static final String FIGURES =
            "WindowFiguresSerializer<io.ledgerflow.sinks.aggregates.WindowFigures>"
                    + " @io.ledgerflow.sinks.aggregates.WindowFiguresSerializer$Snapshot";
    private static final String CHILDREN =
            "PojoSerializer<io.ledgerflow.sinks.aggregates.LatestChildren>";

    /**
     * What each window operator's snapshot records: per level a map from window start to the
     * figures of the first level, or to the latest figures of the children of the others. The types
     * only: a field added to a POJO evolves through Flink's PojoSerializer and keeps the contract.
     */
    private static final Map<String, List<String>> PARTNER_CONTRACT =
            Map.of(
                    "keyed figures-1m", List.of("LongSerializer", FIGURES),
                    "keyed children-5m", List.of("LongSerializer", CHILDREN),
                    "keyed children-15m", List.of("LongSerializer", CHILDREN),
                    "keyed children-1h", List.of("LongSerializer", CHILDREN),
                    "keyed children-1d", List.of("LongSerializer", CHILDREN),
                    "keyed early-due", List.of("LongSerializer"));

    private static final Map<String, List<String>> ACCOUNT_CONTRACT =
            Map.of(
                    "keyed figures-1h", List.of("LongSerializer", FIGURES),
                    "keyed children-1d", List.of("LongSerializer", CHILDREN),
                    "keyed early-due", List.of("LongSerializer"));

    @Test
    void theWindowStatesKeepTheirNamesAndSerializers() throws Exception {
        Map<String, List<String>> partner =
                states(
                        WindowedAggregates.PARTNER_LEVELS,
                        WindowedAggregates.PARTNER_EARLY_LEVELS,
                        WindowedAggregates.LATE_FOR_PARTNER);
        Map<String, List<String>> account =
                states(
                        WindowedAggregates.ACCOUNT_LEVELS,
                        List.of(),
                        WindowedAggregates.LATE_FOR_ACCOUNT);

        assertThat(partner).isEqualTo(new TreeMap<>(PARTNER_CONTRACT));
        assertThat(account).isEqualTo(new TreeMap<>(ACCOUNT_CONTRACT));
    }

    @Test
    void theDeclaredOperatorsAreTheJobsOwn() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new SinksJob(SinksConfig.defaults(), AggregatesConfig.defaults().withEnabled(true))
                .build(env);

        JobOperators.assertClassified(
                JobOperators.functionsByUid(env), STATEFUL, STATELESS, CONNECTOR_PREFIXES);
    }

    private static Map<String, List<String>> states(
            List<AggregateLevel> levels, List<AggregateLevel> early, OutputTag<Movement> late)
            throws Exception {
        Map<String, List<String>> byName = new TreeMap<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, Movement, WindowAggregate> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new CascadingWindows(
                                        levels,
                                        Duration.ofMinutes(10).toMillis(),
                                        late,
                                        early,
                                        AggregatesConfig.defaults().earlyFigures().toMillis())),
                        Movement::key,
                        Types.STRING)) {
            harness.open();
            List<RegisteredState> registered = StateSerializers.of(harness.snapshot(1, 1));
            assertThat(registered).isNotEmpty();
            assertThat(registered).filteredOn(RegisteredState::usesKryo).isEmpty();
            for (RegisteredState state : registered) {
                byName.put(state.kind() + " " + state.name(), state.types());
            }
        }
        return byName;
    }
}
