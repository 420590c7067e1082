package io.ledgerflow.testdata.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.testutils.RequestsTopic;
import io.ledgerflow.testdata.testutils.RequestsTopic.Decoded;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka target against the real broker and registry: what it writes decodes, keyed right. */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class KafkaTargetITCase {

    @Test
    void recordsDecodeThroughTheRegistryKeyedByAccountWithOpensFirst(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        String topic = "it-gen-kafka.ledger.requests";
        RequestsTopic.create(kafka.bootstrapServers(), List.of(topic), 3);
        GeneratorSettings settings =
                GeneratorSettings.defaults().toBuilder()
                        .partners(6)
                        .accountsPerPartner(3)
                        .invalidShare(0.05)
                        .namespace("it-kafka")
                        .build();
        Population population = Population.generate(settings);
        GeneratorRun.Result result;
        try (KafkaTarget target =
                new KafkaTarget(kafka.bootstrapServers(), registry.url(), topic)) {
            result =
                    new GeneratorRun(population, target, LoadClock.SYSTEM, System.out)
                            .execute("k1", LoadPlan.openLoop(500, 400, null), Duration.ZERO);
        }
        assertThat(result.load().failed()).isZero();
        assertThat(result.record().accountsOpened()).isEqualTo(18);

        List<Decoded> records =
                RequestsTopic.readAll(kafka.bootstrapServers(), registry.url(), topic);
        List<MoneyMovement> movements =
                records.stream()
                        .filter(r -> r.value().getRequest() instanceof MoneyMovement)
                        .map(r -> (MoneyMovement) r.value().getRequest())
                        .toList();
        assertThat(records.size() - movements.size()).as("account commands").isEqualTo(18);
        assertThat(movements.stream().map(MoneyMovement::getTransactionId).toList())
                .containsExactlyInAnyOrderElementsOf(result.record().acceptedTransactionIds());
        assertThat(movements).anyMatch(m -> m.getAmountMinor() < 0).as("an invalid one, as Avro");

        // Keyed by the account acted on first; every account's OPEN precedes its movements.
        Map<String, Long> openOffset = new HashMap<>();
        Set<String> seenBeforeOpen = new HashSet<>();
        records.stream()
                .sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                .forEach(
                        r -> {
                            Object request = r.value().getRequest();
                            if (request instanceof AccountCommand c) {
                                assertThat(r.key()).isEqualTo(c.getAccountId());
                                openOffset.put(c.getAccountId(), r.offset());
                            } else {
                                MoneyMovement m = (MoneyMovement) request;
                                String expectedKey =
                                        m.getType() == MovementType.DEPOSIT
                                                        || m.getSourceAccountId() == null
                                                ? m.getDestinationAccountId()
                                                : m.getSourceAccountId();
                                assertThat(r.key()).isEqualTo(expectedKey);
                                if (!openOffset.containsKey(r.key())) {
                                    seenBeforeOpen.add(r.key());
                                }
                            }
                        });
        assertThat(seenBeforeOpen).as("keys with a movement before their OPEN").isEmpty();
    }
}
