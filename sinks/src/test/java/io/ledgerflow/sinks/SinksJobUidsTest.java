package io.ledgerflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
}
