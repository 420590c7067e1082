package io.ledgerflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.flink.testutils.JobOperators;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * Every operator of the sinks job has a uid of its own (savepoints map state to operators by uid;
 * the windowed aggregates keep state across upgrades). The job disables generated uids, so building
 * its job graph fails on an operator without one; this test builds it (nothing runs or connects).
 */
class SinksJobUidsTest {

    @Test
    void everyOperatorOfTheJobHasAUid() {
        assertThat(SinksJob.pipelineConfiguration().get(PipelineOptions.AUTO_GENERATE_UIDS))
                .isFalse();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new SinksJob(SinksConfig.defaults()).build(env);

        JobGraph graph = env.getStreamGraph().getJobGraph();

        assertThat(graph.getNumberOfVertices()).isGreaterThan(3);
    }

    @Test
    void anOperatorWithoutAUidFailsTheBuild() {
        JobOperators.assertAnOperatorWithoutAUidFails(SinksJob.pipelineConfiguration());
    }

    @Test
    void aTypeForKryoFailsTheBuild() {
        assertThat(SinksJob.pipelineConfiguration().get(PipelineOptions.GENERIC_TYPES)).isFalse();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(SinksJob.pipelineConfiguration());
        // java.util.Currency is no POJO: Flink would fall back to Kryo for it.
        env.fromSequence(0, 1)
                .uid("numbers")
                .map(i -> java.util.Currency.getInstance("EUR"))
                .uid("currencies")
                .sinkTo(new DiscardingSink<>())
                .uid("discard");

        assertThatThrownBy(() -> env.getStreamGraph().getJobGraph())
                .hasMessageContaining("Generic types have been disabled");
    }
}
