package io.ledgerflow.settlement;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.readmodel.settlement.SettlementMovement;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits the settlement's movements to {@code ledger.requests}, like the ingest API submits a
 * partner's: an idempotent producer with {@code acks=all}, keyed by the account the movement acts
 * on first, and waits for every acknowledgement. Submitting a movement twice is harmless: the
 * ledger's idempotency gate drops a transaction id it already saw from the same partner.
 */
final class LedgerMovements implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, LedgerRequest> producer;

    LedgerMovements(KafkaSettings kafka, String registryUrl) {
        this.topic = kafka.topic(Topics.LEDGER_REQUESTS);
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.CLIENT_ID_CONFIG,
                                "settlement",
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true),
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(
                                SchemaRegistryClient.forUrl(registryUrl), LedgerRequest.class));
    }

    /** Sends every movement and returns once Kafka acknowledged all of them. */
    void submit(List<SettlementMovement> movements, Instant now)
            throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (SettlementMovement m : movements) {
            acks.add(producer.send(new ProducerRecord<>(topic, m.accountId(), request(m, now))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    /** The ledger request of a settlement movement, with the batch named in its metadata. */
    static LedgerRequest request(SettlementMovement m, Instant now) {
        boolean deposit = m.movementType().equals("DEPOSIT");
        return new LedgerRequest(
                MoneyMovement.newBuilder()
                        .setTransactionId(m.transactionId())
                        .setPartnerId(m.partnerId())
                        .setType(MovementType.valueOf(m.movementType()))
                        .setSourceAccountId(deposit ? null : m.accountId())
                        .setDestinationAccountId(deposit ? m.accountId() : null)
                        .setAmountMinor(m.amountMinor())
                        .setCurrency(m.currency())
                        .setEventTime(now)
                        .setReceivedTime(now)
                        .setMetadata(
                                Map.of(
                                        "settlement.batch", m.batchId(),
                                        "settlement.role", m.role()))
                        .setExternalReference(m.batchId())
                        .build());
    }

    @Override
    public void close() {
        producer.close();
    }
}
