package io.ledgerflow.localservers;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creating topics on a local broker so that they can be written at once: every test, benchmark and
 * the local run go through here, because "created" is not "ready".
 *
 * <p>A topic is created before its partitions have leaders, and the cluster metadata names a leader
 * before that broker has taken the partition over. A producer that writes at once gets
 * NOT_LEADER_OR_FOLLOWER and then, being idempotent, can retry with OUT_OF_ORDER_SEQUENCE_NUMBER
 * until its delivery timeout drops the batch (seen in CI). So readiness is checked with a request
 * only a partition's leader answers: its latest offset.
 */
public final class KafkaTopics {

    private static final long READY_SECONDS = 60;

    private KafkaTopics() {}

    /**
     * Creates {@code topics} (those that exist already are left as they are) and waits until every
     * partition of each has a serving leader.
     */
    public static void create(String bootstrapServers, Collection<NewTopic> topics) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (var created : admin.createTopics(topics).values().values()) {
                try {
                    created.get(READY_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topics " + topics, e);
                    }
                }
            }
            awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topics " + topics + " timed out", e);
        }
    }

    /** {@link #create(String, Collection)} of topics with one replica and the same partitions. */
    public static void create(String bootstrapServers, int partitions, Collection<String> names) {
        create(
                bootstrapServers,
                names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList());
    }

    /** Waits until the leader of every partition of {@code topics} answers for it. */
    public static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics)
                        .allTopicNames()
                        .get(READY_SECONDS, TimeUnit.SECONDS)
                        .values()
                        .forEach(
                                t ->
                                        t.partitions()
                                                .forEach(
                                                        p ->
                                                                partitions.put(
                                                                        new TopicPartition(
                                                                                t.name(),
                                                                                p.partition()),
                                                                        OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "partitions of " + topics + " have no serving leader", notYet);
                }
                Thread.sleep(100);
            }
        }
    }
}
