package io.ledgerflow.ingest;

import static io.ledgerflow.ingest.testutils.LedgerResults.account;
import static io.ledgerflow.ingest.testutils.LedgerResults.transfer;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_A;
import static io.ledgerflow.ingest.testutils.TestKeys.KEY_B;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_A;
import static io.ledgerflow.ingest.testutils.TestKeys.PARTNER_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.ingest.testutils.ApiClient;
import io.ledgerflow.ingest.testutils.LedgerResults;
import io.ledgerflow.ingest.testutils.Notifiers;
import io.ledgerflow.ingest.testutils.PartnerDatabases;
import io.ledgerflow.ingest.testutils.RunningApi;
import io.ledgerflow.ingest.webhooks.Notifier;
import io.ledgerflow.ingest.webhooks.PartnerEvents;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, the event stream: {@code GET /api/v1/events} sends the partner's own events as
 * Server-Sent Events with the webhook ids, and a client that reconnects with {@code Last-Event-ID}
 * gets exactly the events after it (none lost, none repeated), even those recorded while it was
 * away; an id it cannot resume from answers 410.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class, PostgresExtension.class})
class EventStreamITCase {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One SSE event as a client parses it. */
    record SseEvent(String id, String type, String data) {}

    /** An open stream: events parsed on a thread of their own. */
    static final class Sse implements AutoCloseable {
        final HttpResponse<Stream<String>> response;
        final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
        final List<String> comments = new ArrayList<>();
        final Thread reader;

        Sse(int port, String key, String lastEventId) throws Exception {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                            .header("X-Api-Key", key)
                            .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
            reader =
                    new Thread(
                            () -> {
                                String id = null;
                                String type = null;
                                StringBuilder data = new StringBuilder();
                                try {
                                    for (String line :
                                            (Iterable<String>) response.body()::iterator) {
                                        if (line.isEmpty()) {
                                            if (id != null) {
                                                events.add(new SseEvent(id, type, data.toString()));
                                            }
                                            id = null;
                                            type = null;
                                            data.setLength(0);
                                        } else if (line.startsWith(":")) {
                                            synchronized (comments) {
                                                comments.add(line);
                                            }
                                        } else if (line.startsWith("id: ")) {
                                            id = line.substring(4);
                                        } else if (line.startsWith("event: ")) {
                                            type = line.substring(7);
                                        } else if (line.startsWith("data: ")) {
                                            data.append(line.substring(6));
                                        }
                                    }
                                } catch (RuntimeException closed) {
                                    // the test closed the stream
                                }
                            });
            reader.setDaemon(true);
            if (response.statusCode() == 200) {
                reader.start();
            }
        }

        List<SseEvent> take(int n, Duration timeout) throws InterruptedException {
            List<SseEvent> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n) {
                SseEvent e =
                        events.poll(
                                Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("got " + out.size() + " of " + n + " events: " + out);
                }
                out.add(e);
            }
            return out;
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void theStreamSendsThePartnersEventsAndResumesAfterLastEventId(
            KafkaServer kafka, SchemaRegistryServer registry, PostgresServer postgres)
            throws Exception {
        String jdbcUrl = PartnerDatabases.create(postgres, "event_stream_it");
        Map<String, String> env = new HashMap<>(PartnerDatabases.env(jdbcUrl));
        env.put("LEDGERFLOW_EVENT_STREAM_POLL", "100ms");
        String prefix = "it-sse-";
        try (RunningApi api = new RunningApi(kafka, registry, env);
                LedgerResults ledger =
                        new LedgerResults(kafka.bootstrapServers(), registry.url(), prefix);
                Notifier notifier =
                        Notifiers.start(
                                Notifiers.env(
                                        kafka, registry, jdbcUrl, prefix, "it-sse-notifier"))) {
            int port = api.server.port();
            List<String> ids = new ArrayList<>();
            try (Sse stream = new Sse(port, KEY_A, null)) {
                assertThat(stream.response.statusCode()).isEqualTo(200);
                assertThat(stream.response.headers().firstValue("Content-Type"))
                        .get()
                        .asString()
                        .startsWith("text/event-stream");
                List<SpecificRecord> first = new ArrayList<>();
                first.add(account(PARTNER_A, "sse-open", "sse-acc", AccountCommandType.OPEN, true));
                for (int i = 0; i < 5; i++) {
                    first.add(transfer(PARTNER_A, "sse-" + i, "sse-acc"));
                    // Another partner's events never show in this stream.
                    first.add(transfer(PARTNER_B, "sse-b-" + i, "sse-b-acc"));
                }
                ledger.commit(first);
                List<SseEvent> got = stream.take(6, Duration.ofSeconds(30));
                // Results of different partitions and topics are recorded in whatever order the
                // notifier reads them: the set is fixed, the order is the stream's own.
                List<String> firstIds = new ArrayList<>();
                firstIds.add(PartnerEvents.eventId("account", PARTNER_A, "sse-open", "OPEN"));
                for (int i = 0; i < 5; i++) {
                    firstIds.add(
                            PartnerEvents.eventId(
                                    "transaction", PARTNER_A, "sse-" + i, "COMPLETED"));
                }
                assertThat(got)
                        .extracting(SseEvent::id)
                        .containsExactlyInAnyOrderElementsOf(firstIds);
                for (SseEvent e : got) {
                    com.fasterxml.jackson.databind.JsonNode body =
                            ApiClient.JSON.readTree(e.data());
                    assertThat(body.path("id").asText()).isEqualTo(e.id());
                    assertThat(body.path("type").asText()).isEqualTo(e.type());
                }
                got.forEach(e -> ids.add(e.id()));
                Thread.sleep(500);
                assertThat(stream.events).isEmpty();
            }
            // Away: more events are recorded.
            List<SpecificRecord> later = new ArrayList<>();
            for (int i = 5; i < 12; i++) {
                later.add(transfer(PARTNER_A, "sse-" + i, "sse-acc"));
            }
            ledger.commit(later);
            Thread.sleep(1500);
            // Resume from the third event: the three after it, then the seven recorded since.
            try (Sse resumed = new Sse(port, KEY_A, ids.get(2))) {
                assertThat(resumed.response.statusCode()).isEqualTo(200);
                List<SseEvent> got = resumed.take(10, Duration.ofSeconds(30));
                assertThat(got.subList(0, 3))
                        .extracting(SseEvent::id)
                        .containsExactlyElementsOf(ids.subList(3, 6));
                List<String> recordedSince = new ArrayList<>();
                for (int i = 5; i < 12; i++) {
                    recordedSince.add(
                            PartnerEvents.eventId(
                                    "transaction", PARTNER_A, "sse-" + i, "COMPLETED"));
                }
                assertThat(got.subList(3, 10))
                        .extracting(SseEvent::id)
                        .containsExactlyInAnyOrderElementsOf(recordedSince);
                Thread.sleep(500);
                assertThat(resumed.events).isEmpty();
            }
            // An id of another partner, or one that is not kept, cannot be resumed from.
            try (Sse other = new Sse(port, KEY_B, ids.get(0))) {
                assertThat(other.response.statusCode()).isEqualTo(410);
            }
            try (Sse unknown = new Sse(port, KEY_A, "evt_00000000000000000000000000000000")) {
                assertThat(unknown.response.statusCode()).isEqualTo(410);
            }
            try (Sse malformed = new Sse(port, KEY_A, "nonsense")) {
                assertThat(malformed.response.statusCode()).isEqualTo(410);
            }
            try (Sse none = new Sse(port, "not-a-key", null)) {
                assertThat(none.response.statusCode()).isEqualTo(401);
            }
            // Bounded: five streams per partner, the sixth answers 429.
            List<Sse> open = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    open.add(new Sse(port, KEY_B, null));
                    assertThat(open.get(i).response.statusCode()).isEqualTo(200);
                }
                try (Sse sixth = new Sse(port, KEY_B, null)) {
                    assertThat(sixth.response.statusCode()).isEqualTo(429);
                }
            } finally {
                open.forEach(Sse::close);
            }
        }
    }
}
