package io.ledgerflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.k8s.testutils.Manifests;
import io.ledgerflow.k8s.testutils.Manifests.Manifest;
import io.ledgerflow.k8s.testutils.StrictKubernetesModel;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.sinks.SinksConfig;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topics match what the jobs expect of them: every name in {@link Topics}, the instruction loop
 * as wide and as long-lived as the requests it answers, compacted account states, replicas that can
 * honour {@code min.insync.replicas}, every output topic the sinks job reads.
 */
class KafkaTopicsTest {

    static Stream<String> environments() {
        return Manifests.ENVIRONMENTS.stream();
    }

    @ParameterizedTest
    @MethodSource("environments")
    void everyPlatformTopicIsDeclaredOnce(String env) throws IllegalAccessException {
        assertThat(topics(env).keySet()).isEqualTo(platformTopics());
        assertThat(Manifests.ofKind(env, "KafkaTopic")).hasSize(platformTopics().size());
    }

    @ParameterizedTest
    @MethodSource("environments")
    void theInstructionLoopMatchesTheRequests(String env) {
        Map<String, KafkaTopic> topics = topics(env);
        KafkaTopic requests = topics.get(Topics.LEDGER_REQUESTS);
        KafkaTopic instructions = topics.get(Topics.LEDGER_INSTRUCTIONS);
        // DISCUSSION.md: instructions are keyed by account like requests; the same partition
        // count keeps an account's requests and instructions on one source split index.
        assertThat(instructions.getSpec().getPartitions())
                .isEqualTo(requests.getSpec().getPartitions());
        // Restoring a savepoint replays instructions written since; they must still be there.
        assertThat(retentionMs(instructions)).isGreaterThanOrEqualTo(retentionMs(requests));
        assertThat(config(instructions, "cleanup.policy")).isEqualTo("delete");
    }

    @ParameterizedTest
    @MethodSource("environments")
    void accountStatesAreCompactedAndEverythingElseIsRetainedByTime(String env) {
        topics(env)
                .forEach(
                        (name, topic) -> {
                            String policy = config(topic, "cleanup.policy");
                            // Latest-value topics: account states, fraud rules (every rule
                            // version is kept in the stores by the sinks job).
                            if (name.equals(Topics.ACCOUNT_STATES)
                                    || name.equals(Topics.FRAUD_RULES)) {
                                assertThat(policy).isEqualTo("compact");
                            } else {
                                assertThat(policy).as(name).isEqualTo("delete");
                                assertThat(retentionMs(topic))
                                        .as(name)
                                        .isGreaterThanOrEqualTo(
                                                java.time.Duration.ofDays(7).toMillis());
                            }
                            int minIsr = Integer.parseInt(config(topic, "min.insync.replicas"));
                            assertThat(topic.getSpec().getReplicas())
                                    .isGreaterThanOrEqualTo(minIsr);
                            assertThat(topic.getMetadata().getLabels())
                                    .containsKey("strimzi.io/cluster");
                        });
    }

    @ParameterizedTest
    @MethodSource("environments")
    void theLedgerReadsAllPartitionsWithoutIdleSources(String env) {
        int partitions = topics(env).get(Topics.LEDGER_REQUESTS).getSpec().getPartitions();
        Manifest ledger = Manifests.find(env, "FlinkDeployment", "ledger");
        assertThat(ledger.node().at("/spec/job/parallelism").asInt())
                .isLessThanOrEqualTo(partitions);
        assertThat(ledger.node().at("/spec/job/args").toString())
                .contains("\"" + LedgerJobConfig.JOB_NAME + "\"");
    }

    @ParameterizedTest
    @MethodSource("environments")
    void theSinksReadEveryOutputTopicWithTheirOwnGroupAndWithoutIdleSources(String env) {
        Map<String, KafkaTopic> topics = topics(env);
        Manifest sinks = Manifests.find(env, "FlinkDeployment", "sinks");
        List<String> args = new ArrayList<>();
        sinks.node().at("/spec/job/args").forEach(a -> args.add(a.asText()));
        // The topics SinksJob subscribes to, under the prefix the manifest gives it.
        SinksConfig config = SinksConfig.fromArgs(args.toArray(String[]::new), Map.of());
        assertThat(config.sourceTopics()).isNotEmpty();
        for (String output : config.sourceTopics()) {
            KafkaTopic topic = topics.get(output);
            assertThat(topic).as(output).isNotNull();
            assertThat(sinks.node().at("/spec/job/parallelism").asInt())
                    .as(output)
                    .isLessThanOrEqualTo(topic.getSpec().getPartitions());
        }
        // Its own consumer group: sharing the ledger's would mix their progress in lag metrics.
        assertThat(config.consumerGroup()).isEqualTo(SinksConfig.JOB_NAME);
        assertThat(
                        Manifests.find(env, "FlinkDeployment", "ledger")
                                .node()
                                .at("/spec/job/args")
                                .toString())
                .doesNotContain("\"" + config.consumerGroup() + "\"");
    }

    private static Map<String, KafkaTopic> topics(String env) {
        Map<String, KafkaTopic> topics = new HashMap<>();
        for (Manifest m : Manifests.ofKind(env, "KafkaTopic")) {
            KafkaTopic topic = StrictKubernetesModel.read(m.node(), KafkaTopic.class);
            assertThat(topics.put(topic.getSpec().getTopicName(), topic)).isNull();
        }
        return topics;
    }

    private static Set<String> platformTopics() {
        return Stream.of(Topics.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(KafkaTopicsTest::value)
                .collect(Collectors.toSet());
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String config(KafkaTopic topic, String key) {
        return String.valueOf(topic.getSpec().getConfig().get(key));
    }

    private static long retentionMs(KafkaTopic topic) {
        return Long.parseLong(config(topic, "retention.ms"));
    }
}
