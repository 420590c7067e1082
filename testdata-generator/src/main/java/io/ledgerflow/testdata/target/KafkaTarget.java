package io.ledgerflow.testdata.target;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.testdata.population.Request;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ledger's request topic directly, bypassing the API: Avro {@link LedgerRequest} in the
 * Confluent wire format (schema registered through the registry), keyed by the account the ledger
 * acts on first, with the same producer guarantees as the API ({@code acks=all}, idempotent), so an
 * account's OPEN always precedes its movements in its partition.
 */
public final class KafkaTarget implements Target {

    private final String topic;
    private final Clock clock;
    private final KafkaProducer<String, LedgerRequest> producer;

    public KafkaTarget(String bootstrapServers, String schemaRegistryUrl, String topic) {
        this.topic = topic;
        this.clock = Clock.systemUTC();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ledgerflow-testdata");
        // A broker that is down fails requests within seconds (counted as errors) instead of
        // blocking the sender for the default minute.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(
                                SchemaRegistryClient.forUrl(schemaRegistryUrl),
                                LedgerRequest.class));
    }

    @Override
    public CompletableFuture<Outcome> send(Request request) {
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        try {
            LedgerRequest value = LedgerRequests.of(request, clock.instant());
            producer.send(
                    new ProducerRecord<>(topic, request.routingAccountId(), value),
                    (metadata, error) ->
                            answer.complete(
                                    error == null ? Outcome.success() : Outcome.failed(error)));
        } catch (RuntimeException e) {
            // Serialization (registry down) or a producer that gave up waiting for metadata.
            answer.complete(Outcome.failed(e));
        }
        return answer;
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void close() {
        producer.close();
    }
}
