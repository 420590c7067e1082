package io.ledgerflow.testdata.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.testdata.check.RunRecord;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.testutils.InProcessApi;
import io.ledgerflow.testdata.testutils.RequestsTopic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP target against the real ingest API, started in-process on the real broker and registry
 * with the population's generated keys file: every valid request is accepted, every invalid one
 * refused with the code its breakage calls for, and the accepted ones are on the topic.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class HttpTargetITCase {

    @Test
    void validRequestsAreAcceptedAndInvalidOnesRefusedWithTheirCodes(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        RequestsTopic.create(kafka.bootstrapServers(), List.of(Topics.LEDGER_REQUESTS), 2);
        GeneratorSettings settings =
                GeneratorSettings.defaults().toBuilder()
                        .partners(40)
                        .accountsPerPartner(3)
                        .invalidShare(0.1)
                        .namespace("it-http")
                        .build();
        Population population = Population.generate(settings);
        try (InProcessApi api =
                InProcessApi.start(
                        kafka,
                        registry,
                        ApiKeys.parse(population.apiKeysFileLines(), "generated keys"),
                        "")) {
            String url = api.url();
            GeneratorRun.Result result;
            try (HttpTarget target = new HttpTarget(url, population, Duration.ofSeconds(10))) {
                result =
                        new GeneratorRun(population, target, LoadClock.SYSTEM, System.out)
                                .execute("h1", LoadPlan.openLoop(300, 600, null), Duration.ZERO);
            }
            System.out.print(result.load().render());
            RunRecord record = result.record();
            assertThat(record.accountsOpened())
                    .as("every generated partner authenticated")
                    .isEqualTo(120);
            long invalid = record.sentByKind().getOrDefault("INVALID", 0L);
            assertThat(invalid).isGreaterThan(20);
            assertThat(record.refusedByType().values().stream().mapToLong(Long::longValue).sum())
                    .as("refused exactly the invalid ones: %s", record.refusedByType())
                    .isEqualTo(invalid);
            assertThat(record.refusedByType().keySet())
                    .containsExactlyInAnyOrder(
                            "HTTP_400/AMOUNT_NOT_POSITIVE",
                            "HTTP_400/EXCESS_PRECISION",
                            "HTTP_400/UNKNOWN_CURRENCY",
                            "HTTP_400/SAME_ACCOUNT",
                            "HTTP_400/MISSING_FIELD");
            assertThat(result.load().latency().count()).isEqualTo(result.load().sent());

            List<String> onTopic =
                    RequestsTopic.readAll(
                                    kafka.bootstrapServers(),
                                    registry.url(),
                                    Topics.LEDGER_REQUESTS)
                            .stream()
                            .filter(r -> r.value().getRequest() instanceof MoneyMovement)
                            .map(r -> ((MoneyMovement) r.value().getRequest()).getTransactionId())
                            .toList();
            assertThat(onTopic)
                    .containsExactlyInAnyOrderElementsOf(record.acceptedTransactionIds());
        }
    }
}
