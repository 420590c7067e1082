package io.ledgerflow.ingest.testutils;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.localservers.KafkaTopics;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the ledger's results as the ledger job does: Avro in the Confluent wire format, in Kafka
 * transactions, under a topic prefix of the test's own. A test that only needs the notifier's input
 * writes them here instead of running the Flink job; {@link #aborted} writes results in a
 * transaction that is then aborted (what a failed checkpoint leaves), which no reader with {@code
 * read_committed} may act on.
 */
public final class LedgerResults implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final ConfluentAvroSerializer<TransactionResult> transactions;
    private final ConfluentAvroSerializer<AccountCommandResult> accounts;
    public final String transactionTopic;
    public final String accountTopic;

    public LedgerResults(String bootstrapServers, String registryUrl, String prefix) {
        transactionTopic = prefix + Topics.TRANSACTION_RESULTS;
        accountTopic = prefix + Topics.ACCOUNT_COMMAND_RESULTS;
        KafkaTopics.create(bootstrapServers, 3, List.of(transactionTopic, accountTopic));
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "test-ledger-" + UUID.randomUUID(),
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                "true"),
                        new StringSerializer(),
                        new ByteArraySerializer());
        producer.initTransactions();
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(registryUrl);
        transactions = new ConfluentAvroSerializer<>(registry, TransactionResult.class);
        accounts = new ConfluentAvroSerializer<>(registry, AccountCommandResult.class);
    }

    /** Writes the results in one committed transaction. */
    public void commit(List<? extends SpecificRecord> results) {
        producer.beginTransaction();
        send(results);
        producer.commitTransaction();
    }

    /** Writes the results in a transaction, then aborts it. */
    public void aborted(List<? extends SpecificRecord> results) {
        producer.beginTransaction();
        send(results);
        producer.flush();
        producer.abortTransaction();
    }

    private void send(List<? extends SpecificRecord> results) {
        for (SpecificRecord r : results) {
            if (r instanceof TransactionResult t) {
                producer.send(
                        new ProducerRecord<>(
                                transactionTopic,
                                t.getTransactionId(),
                                transactions.serialize(transactionTopic, t)));
            } else if (r instanceof AccountCommandResult a) {
                producer.send(
                        new ProducerRecord<>(
                                accountTopic,
                                a.getAccountId(),
                                accounts.serialize(accountTopic, a)));
            } else {
                throw new IllegalArgumentException(r.getClass().getName());
            }
        }
    }

    public static TransactionResult transaction(
            String partnerId,
            String transactionId,
            MovementType type,
            TransactionStatus status,
            String source,
            String destination) {
        Instant now = Instant.now();
        return TransactionResult.newBuilder()
                .setTransactionId(transactionId)
                .setPartnerId(partnerId)
                .setType(type)
                .setStatus(status)
                .setReason(
                        status == TransactionStatus.REJECTED ? ReasonCode.INSUFFICIENT_FUNDS : null)
                .setSourceAccountId(source)
                .setDestinationAccountId(destination)
                .setAmountMinor(1234)
                .setCurrency("EUR")
                .setEventTime(now)
                .setReceivedTime(now)
                .setDecisionTime(now)
                .setMetadata(Map.of("order", transactionId))
                .build();
    }

    /** A transfer from {@code source} decided COMPLETED. */
    public static TransactionResult transfer(
            String partnerId, String transactionId, String source) {
        return transaction(
                partnerId,
                transactionId,
                MovementType.TRANSFER,
                TransactionStatus.COMPLETED,
                source,
                source + "-peer");
    }

    public static AccountCommandResult account(
            String partnerId,
            String commandId,
            String accountId,
            AccountCommandType type,
            boolean accepted) {
        return AccountCommandResult.newBuilder()
                .setCommandId(commandId)
                .setPartnerId(partnerId)
                .setAccountId(accountId)
                .setType(type)
                .setAccepted(accepted)
                .setReason(accepted ? null : ReasonCode.ACCOUNT_NOT_FOUND)
                .setDecisionTime(Instant.now())
                .build();
    }

    @Override
    public void close() {
        producer.close();
    }
}
