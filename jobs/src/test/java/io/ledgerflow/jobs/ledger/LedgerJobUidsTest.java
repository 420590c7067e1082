package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.flink.testutils.JobOperators;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Every operator of the ledger job has a uid of its own, because savepoints map state to operators
 * by uid: an operator whose uid Flink generated from the graph's shape loses its state when the
 * shape changes. The job disables generated uids, so building its job graph fails on an operator
 * without one; this test builds it (nothing runs, nothing connects).
 */
class LedgerJobUidsTest {

    @Test
    void theJobDisablesGeneratedUids() {
        assertThat(LedgerJob.pipelineConfiguration().get(PipelineOptions.AUTO_GENERATE_UIDS))
                .isFalse();
    }

    @Test
    void everyOperatorOfTheJobHasAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new LedgerJob(LedgerJobConfig.defaults()).build(env);

        JobGraph graph = env.getStreamGraph().getJobGraph();

        assertThat(graph.getVerticesSortedTopologicallyFromSources())
                .extracting(JobVertex::getName)
                .anyMatch(name -> name.contains("Ledger"));
    }

    @Test
    void anOperatorWithoutAUidFailsTheBuild() {
        JobOperators.assertAnOperatorWithoutAUidFails(LedgerJob.pipelineConfiguration());
    }
}
