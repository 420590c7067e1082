package io.ledgerflow.jobs.bench;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.ledger.LedgerRouting;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the benchmark writes into the requests topic: account opens and opening deposits, then
 * transfers between accounts chosen uniformly or Zipf-skewed. Every request's {@code receivedTime}
 * is the wall-clock time it is handed to the producer, so result latency is measured from there.
 */
final class TransferLoad implements AutoCloseable {

    static final String PARTNER = "p1";
    static final String CURRENCY = "EUR";

    /** Large enough that no transfer in any round runs out of funds, hot accounts included. */
    static final long OPENING_DEPOSIT = 1_000_000_000L;

    private final LedgerJobConfig config;
    private final int accounts;
    private final double[] zipfCumulative;
    private final KafkaProducer<String, LedgerRequest> producer;

    TransferLoad(LedgerJobConfig config, int accounts, double zipfExponent) {
        this.config = config;
        this.accounts = accounts;
        zipfCumulative = new double[accounts];
        double sum = 0;
        for (int i = 0; i < accounts; i++) {
            sum += 1.0 / Math.pow(i + 1, zipfExponent);
            zipfCumulative[i] = sum;
        }
        for (int i = 0; i < accounts; i++) {
            zipfCumulative[i] /= sum;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        ConfluentAvroSerializer<LedgerRequest> values =
                new ConfluentAvroSerializer<>(
                        SchemaRegistryClient.forUrl(config.schemaRegistryUrl()),
                        LedgerRequest.class);
        // The serializer registers the schema on first use; do that here, with retries.
        LedgerThroughputBenchmark.withRetries(
                () -> values.serialize(config.requestsTopic(), open(0)));
        producer = new KafkaProducer<>(props, new StringSerializer(), values);
    }

    static String account(int index) {
        return "acc-" + index;
    }

    /** Share of all choices that goes to the hottest account under the Zipf choice. */
    double hottestZipfShare() {
        return zipfCumulative[0];
    }

    /** Index of an account: uniform, or Zipf with account 0 the hottest. */
    int pick(SplittableRandom random, boolean zipf) {
        if (!zipf) {
            return random.nextInt(accounts);
        }
        int i = Arrays.binarySearch(zipfCumulative, random.nextDouble());
        return Math.min(i >= 0 ? i : -i - 1, accounts - 1);
    }

    void produceOpens() {
        produceAll(accounts, this::open);
    }

    void produceDeposits() {
        produceAll(accounts, this::deposit);
    }

    /** Sends {@code count} transfers as fast as the producer takes them, then flushes. */
    void produceTransfers(String idPrefix, int count, boolean zipf, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        produceAll(count, n -> transfer(idPrefix + n, random, zipf));
    }

    /**
     * Sends {@code count} transfers at a fixed {@code rate} (open loop: the schedule does not wait
     * for results), then flushes.
     */
    void produceTransfersAtRate(String idPrefix, int count, int rate, boolean zipf, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            long due = start + (long) (n * (1e9 / rate));
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            send(transfer(idPrefix + n, random, zipf));
        }
        producer.flush();
    }

    private void produceAll(int count, IntFunction<LedgerRequest> request) {
        for (int n = 0; n < count; n++) {
            send(request.apply(n));
        }
        producer.flush();
    }

    private void send(LedgerRequest request) {
        producer.send(
                new ProducerRecord<>(
                        config.requestsTopic(), LedgerRouting.accountOf(request), request));
    }

    private LedgerRequest open(int index) {
        Instant now = Instant.now();
        return new LedgerRequest(
                AccountCommand.newBuilder()
                        .setCommandId("open-" + index)
                        .setPartnerId(PARTNER)
                        .setAccountId(account(index))
                        .setType(AccountCommandType.OPEN)
                        .setCurrency(CURRENCY)
                        .setAccountType(AccountType.CUSTOMER)
                        .setOverdraftLimitMinor(0)
                        .setEventTime(now)
                        .setReceivedTime(now)
                        .build());
    }

    private LedgerRequest deposit(int index) {
        return movement("dep-" + index, MovementType.DEPOSIT, null, account(index))
                .setAmountMinor(OPENING_DEPOSIT)
                .build();
    }

    private LedgerRequest transfer(String id, SplittableRandom random, boolean zipf) {
        int from = pick(random, zipf);
        int to;
        do {
            to = pick(random, zipf);
        } while (to == from);
        return movement(id, MovementType.TRANSFER, account(from), account(to))
                .setAmountMinor(1 + random.nextInt(10_000))
                .build();
    }

    /** A builder whose {@link #build} wraps the movement into a request. */
    private MovementBuilder movement(String id, MovementType type, String from, String to) {
        Instant now = Instant.now();
        return new MovementBuilder(
                MoneyMovement.newBuilder()
                        .setTransactionId(id)
                        .setPartnerId(PARTNER)
                        .setType(type)
                        .setSourceAccountId(from)
                        .setDestinationAccountId(to)
                        .setCurrency(CURRENCY)
                        .setEventTime(now)
                        .setReceivedTime(now));
    }

    private record MovementBuilder(MoneyMovement.Builder builder) {
        MovementBuilder setAmountMinor(long amount) {
            builder.setAmountMinor(amount);
            return this;
        }

        LedgerRequest build() {
            return new LedgerRequest(builder.build());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
