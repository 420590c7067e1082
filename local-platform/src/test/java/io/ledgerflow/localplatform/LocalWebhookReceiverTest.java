package io.ledgerflow.localplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local receiver answers webhooks 204 and writes one line each, id and body. */
class LocalWebhookReceiverTest {

    @Test
    void answersEveryWebhookAndWritesOneLineEach(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("received-webhooks.log");
        HttpClient http = HttpClient.newHttpClient();
        try (LocalWebhookReceiver receiver = LocalWebhookReceiver.start(log)) {
            assertTrue(
                    receiver.url().matches("http://127\\.0\\.0\\.1:[0-9]+/hooks"), receiver.url());
            for (String id : List.of("evt_1", "evt_2")) {
                HttpResponse<Void> answer =
                        http.send(
                                HttpRequest.newBuilder(URI.create(receiver.url()))
                                        .header("webhook-id", id)
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"id\":\"" + id + "\",\n\"type\":\"x\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                assertEquals(204, answer.statusCode());
            }
            HttpResponse<Void> get =
                    http.send(
                            HttpRequest.newBuilder(URI.create(receiver.url())).build(),
                            HttpResponse.BodyHandlers.discarding());
            assertEquals(405, get.statusCode());
        }

        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size(), lines.toString());
        // One line per webhook even when the body has line breaks.
        assertTrue(
                lines.get(0).endsWith(" evt_1 {\"id\":\"evt_1\", \"type\":\"x\"}"), lines.get(0));
        assertTrue(lines.get(1).contains(" evt_2 "), lines.get(1));
    }
}
