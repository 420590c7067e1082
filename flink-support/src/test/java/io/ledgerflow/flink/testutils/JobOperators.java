package io.ledgerflow.flink.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;

/**
 * A job's operators as its graph has them, for the guards of the savepoint contract: each
 * operator's uid and the function it runs, and the checks every job's tests make of them.
 */
public final class JobOperators {

    private JobOperators() {}

    /** Every operator of the graph built in {@code env}, by uid, with its function (or null). */
    public static Map<String, Class<?>> functionsByUid(StreamExecutionEnvironment env) {
        Map<String, Class<?>> functions = new HashMap<>();
        for (StreamNode node : env.getStreamGraph(false).getStreamNodes()) {
            functions.put(node.getTransformationUID(), functionOf(node));
        }
        return functions;
    }

    /**
     * The graph runs each declared stateful function under its uid, and every other operator is
     * declared stateless or belongs to a connector (its uid contains one of {@code connectors}): a
     * new operator must be classified, and if it keeps state, its states declared.
     */
    public static void assertClassified(
            Map<String, Class<?>> functions,
            Map<String, Class<?>> stateful,
            Set<String> stateless,
            Set<String> connectors) {
        stateful.forEach((uid, function) -> assertThat(functions).containsEntry(uid, function));
        assertThat(functions.keySet())
                .allMatch(
                        uid ->
                                stateful.containsKey(uid)
                                        || stateless.contains(uid)
                                        || connectors.stream().anyMatch(uid::contains),
                        "declared stateful, stateless or a connector's");
    }

    /**
     * Under {@code pipeline} (a job's pipeline configuration), a graph with an operator without a
     * uid cannot be built: the guard that every job's uid test relies on really fails.
     */
    public static void assertAnOperatorWithoutAUidFails(Configuration pipeline) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(pipeline);
        // The source and the sink are named; the map in between is not.
        env.fromSequence(0, 1)
                .uid("numbers")
                .map(i -> i + 1)
                .sinkTo(new DiscardingSink<>())
                .uid("discard");

        assertThatThrownBy(() -> env.getStreamGraph().getJobGraph()).hasMessageContaining("UID");
    }

    private static Class<?> functionOf(StreamNode node) {
        if (node.getOperatorFactory() instanceof SimpleOperatorFactory<?> factory
                && factory.getOperator() instanceof AbstractUdfStreamOperator<?, ?> udf) {
            return udf.getUserFunction().getClass();
        }
        return null;
    }
}
