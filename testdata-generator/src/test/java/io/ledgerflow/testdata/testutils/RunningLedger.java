package io.ledgerflow.testdata.testutils;

import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real ledger job on the test's MiniCluster (the one a {@code MiniClusterExtension} installs as
 * the execution environment), with its topics created on the test broker first. Closing cancels the
 * job unless the test already did.
 */
public final class RunningLedger implements AutoCloseable {

    public final LedgerJobConfig config;
    public final LedgerKafka topics;
    public final JobClient job;

    private RunningLedger(LedgerJobConfig config, LedgerKafka topics, JobClient job) {
        this.config = config;
        this.topics = topics;
        this.job = job;
    }

    /** Creates the ledger's topics ({@code partitions} each) and starts the job. */
    public static RunningLedger start(LedgerJobConfig config, int partitions) throws Exception {
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(partitions);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.clusterConfiguration(config));
        return new RunningLedger(config, topics, new LedgerJob(config).start(env));
    }

    /**
     * How often the job was restored so far: the highest execution attempt number of any task.
     * Region failover restarts tasks without the job ever passing through RESTARTING, so the job
     * status alone would miss it; the attempt numbers count both.
     */
    public int restarts(MiniCluster cluster) throws Exception {
        int attempts = 0;
        for (AccessExecutionVertex vertex : graph(cluster).getAllExecutionVertices()) {
            attempts = Math.max(attempts, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return attempts;
    }

    /**
     * The root cause of the job's most recent failure and where it was thrown, or "none": what a
     * failed restart assertion should show, so the reason is in the test report, not in the log.
     */
    public String lastFailure(MiniCluster cluster) throws Exception {
        ErrorInfo failure = graph(cluster).getFailureInfo();
        if (failure == null) {
            return "none";
        }
        Throwable root = failure.getException();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // The first frame of our own code says more than the JDK's (Math.addExact).
        StackTraceElement where = null;
        for (StackTraceElement frame : root.getStackTrace()) {
            if (where == null || frame.getClassName().startsWith("io.ledgerflow.")) {
                where = frame;
                if (frame.getClassName().startsWith("io.ledgerflow.")) {
                    break;
                }
            }
        }
        return root.getMessage() + (where == null ? "" : " at " + where);
    }

    private AccessExecutionGraph graph(MiniCluster cluster) throws Exception {
        return cluster.getArchivedExecutionGraph(job.getJobID()).get();
    }

    @Override
    public void close() throws Exception {
        FlinkJobs.cancelAndWait(job);
    }
}
