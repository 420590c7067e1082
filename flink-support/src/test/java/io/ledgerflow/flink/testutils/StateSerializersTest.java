package io.ledgerflow.flink.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.flink.testutils.StateSerializers.RegisteredState;
import java.util.Currency;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The state guard can fail: a state written by Kryo, directly or through a POJO's field, is seen,
 * and a sound POJO is described down to its fields.
 */
class StateSerializersTest {

    /** A sound POJO: every field has a serializer of its own. */
    public static class Balance {
        public String account;
        public long minor;

        public Balance() {}
    }

    /** A POJO whose field Flink cannot analyse: that field alone goes to Kryo. */
    public static class Priced {
        public String account;
        public Currency currency;

        public Priced() {}
    }

    /** Registers one sound and two unsound states, as a careless operator would. */
    static final class CarelessOperator extends KeyedProcessFunction<String, String, String> {
        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().getState(new ValueStateDescriptor<>("balance", Balance.class));
            getRuntimeContext().getState(new ValueStateDescriptor<>("currency", Currency.class));
            getRuntimeContext().getListState(new ListStateDescriptor<>("priced", Priced.class));
            getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>("seen", Types.STRING, Types.LONG));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) {}
    }

    @Test
    void kryoIsSeenDirectlyAndInsideAPojo() throws Exception {
        List<RegisteredState> states;
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new CarelessOperator()), k -> k, Types.STRING)) {
            harness.open();
            states = StateSerializers.of(harness.snapshot(1, 1));
        }

        assertThat(states)
                .filteredOn(RegisteredState::usesKryo)
                .extracting(RegisteredState::name)
                .containsExactlyInAnyOrder("currency", "priced");
        assertThat(states)
                .filteredOn(s -> s.name().equals("balance"))
                .singleElement()
                .extracting(RegisteredState::serializers)
                .isEqualTo(
                        List.of(
                                "PojoSerializer<"
                                        + Balance.class.getName()
                                        + ">[account: StringSerializer, minor: LongSerializer]"));
        assertThat(states)
                .filteredOn(s -> s.name().equals("seen"))
                .singleElement()
                .extracting(RegisteredState::serializers)
                .isEqualTo(List.of("StringSerializer", "LongSerializer"));
    }
}
