package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.testutils.ApiClient.Answer;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker goes away: the API answers 503 with Retry-After within the promised bound, never
 * hangs, and accepts again once the broker is back. Restarts the shared broker, so it starts it
 * again before it ends, whatever happens.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class KafkaOutageITCase {

    /** What clients are promised (README): an answer within 5 s; allow HTTP overhead. */
    private static final Duration BOUND = Duration.ofMillis(5_500);

    @Test
    void brokerDownAnswers503WithRetryAfterThenRecovers(
            KafkaServer kafka, SchemaRegistryServer registry) {
        try (RunningApi api = new RunningApi(kafka, registry)) {
            assertThat(submit(api, "before").status()).isEqualTo(202);

            kafka.stop();
            try {
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    Answer answer = submit(api, "during-" + i);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);

                    assertThat(answer.status()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.code()).isEqualTo("KAFKA_UNAVAILABLE");
                    assertThat(answer.header("Retry-After")).contains("2");
                    assertThat(took).isLessThan(BOUND);
                }
                String batch =
                        "{\"items\":["
                                + IngestApiITCase.transfer(id("b1"), "s", "d", "1")
                                + ","
                                + IngestApiITCase.transfer(id("b2"), "s", "d", "1")
                                + "]}";
                long start = System.nanoTime();
                Answer batchAnswer = api.client.post("/api/v1/transactions:batch", KEY_A, batch);
                assertThat(batchAnswer.status()).isEqualTo(503);
                assertThat(batchAnswer.header("Retry-After")).isPresent();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);

                Answer ready = api.client.get("/health/ready", null);
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.json().get("checks").get("kafka").asText()).isEqualTo("DOWN");
                assertThat(api.client.get("/health/live", null).status()).isEqualTo(200);
            } finally {
                kafka.start();
            }

            // The same id that failed may be retried: the failure did not claim it.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Answer retried;
            do {
                retried = submit(api, "during-0");
            } while (retried.status() != 202 && System.nanoTime() < deadline);
            assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        }
    }

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static String id(String name) {
        return "outage-" + RUN + "-" + name;
    }

    private static Answer submit(RunningApi api, String name) {
        return api.client.post(
                "/api/v1/transactions",
                KEY_A,
                IngestApiITCase.transfer(id(name), "outage-src", "outage-dst", "1.00"));
    }
}
