package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.flink.types.RecordTypeInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Every record the ledger job's graph passes between operators has a compact serializer: Avro for
 * the records that are also Kafka records, a hand-written {@link RecordTypeInfo} for the job's own
 * envelopes. A type that falls back to Kryo or to Flink's reflective POJO serializer fails this
 * test. (State types are guarded at run time: the job disables generic types, so every ITCase would
 * fail on one.)
 */
class LedgerJobTypesTest {

    @Test
    void noRecordBetweenOperatorsFallsBackToKryoOrReflection() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.pipelineConfiguration());
        // Only the graph is built, never run: the sources' records do not matter.
        DataStream<LedgerRequest> requests = source(env, LedgerRequest.class);
        DataStream<LedgerInstruction> instructions = source(env, LedgerInstruction.class);
        DataStream<FraudRule> rules = source(env, FraudRule.class);

        LedgerJob.LedgerStreams out =
                LedgerJob.defineWorkflow(requests, instructions, rules, LedgerJobConfig.defaults());

        List<DataStream<?>> outputs =
                List.of(
                        out.results(),
                        out.entries(),
                        out.accountStates(),
                        out.commandResults(),
                        out.instructions(),
                        out.fraudAlerts(),
                        out.deadLetters());
        List<String> slow = new ArrayList<>();
        Set<Transformation<?>> seen = new HashSet<>();
        Deque<Transformation<?>> todo = new ArrayDeque<>();
        outputs.forEach(s -> todo.add(s.getTransformation()));
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            TypeInformation<?> type = t.getOutputType();
            if (!(type instanceof AvroTypeInfo<?>
                    || type instanceof RecordTypeInfo<?>
                    || type instanceof BasicTypeInfo<?>)) {
                slow.add(t.getName() + ": " + type);
            }
            todo.addAll(t.getInputs());
        }
        assertThat(seen).as("walked the whole graph").hasSizeGreaterThan(10);
        assertThat(slow).as("edges serialized with Kryo or reflection").isEmpty();
    }

    private static <T extends SpecificRecordBase> DataStream<T> source(
            StreamExecutionEnvironment env, Class<T> type) {
        return env.fromSequence(0, 0).map(i -> (T) null, new AvroTypeInfo<>(type));
    }
}
