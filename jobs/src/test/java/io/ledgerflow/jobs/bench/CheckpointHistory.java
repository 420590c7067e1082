package io.ledgerflow.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Checkpoint statistics from the MiniCluster's REST API ({@code /jobs/:id/checkpoints}). */
final class CheckpointHistory {

    /** One checkpoint as the REST API reports it. */
    record Checkpoint(
            long id,
            String status,
            long triggerMillis,
            long durationMillis,
            long checkpointedBytes,
            long stateBytes) {}

    /** The completed and failed checkpoints triggered inside one window. */
    record Window(List<Checkpoint> completed, int failed) {
        long p50Millis() {
            return Percentiles.of(
                            completed.stream().mapToLong(Checkpoint::durationMillis).toArray())
                    .p(0.50);
        }

        long maxMillis() {
            return completed.stream().mapToLong(Checkpoint::durationMillis).max().orElse(-1);
        }

        long medianCheckpointedBytes() {
            return Percentiles.of(
                            completed.stream().mapToLong(Checkpoint::checkpointedBytes).toArray())
                    .p(0.50);
        }

        long lastStateBytes() {
            return completed.isEmpty() ? -1 : completed.get(completed.size() - 1).stateBytes();
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI checkpoints;

    CheckpointHistory(URI restAddress, String jobId) {
        this.checkpoints = restAddress.resolve("/jobs/" + jobId + "/checkpoints");
    }

    /** Checkpoints triggered in {@code [fromMillis, toMillis]}. */
    Window between(long fromMillis, long toMillis) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(checkpoints).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(checkpoints + " answered " + response.statusCode());
        }
        List<Checkpoint> completed = new ArrayList<>();
        int failed = 0;
        for (JsonNode c : json.readTree(response.body()).path("history")) {
            long trigger = c.path("trigger_timestamp").asLong();
            if (trigger < fromMillis || trigger > toMillis) {
                continue;
            }
            String status = c.path("status").asText();
            if (status.equals("FAILED")) {
                failed++;
            } else if (status.equals("COMPLETED")) {
                completed.add(
                        new Checkpoint(
                                c.path("id").asLong(),
                                status,
                                trigger,
                                c.path("end_to_end_duration").asLong(),
                                c.path("checkpointed_size").asLong(),
                                c.path("state_size").asLong()));
            }
        }
        completed.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new Window(completed, failed);
    }
}
