package io.ledgerflow.testdata.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one run sent and what the platform accepted: the check's expectations. Written by {@code
 * load} as JSON, read by {@code check}.
 *
 * @param runId prefix of every transaction id of the run ({@code <runId>-...})
 * @param namespace prefix of every account id of the population ({@code <namespace>-...})
 * @param target where the run sent ({@code http}, {@code kafka})
 * @param accountsOpened account openings the target accepted
 * @param acceptedTransactionIds ids of every movement the target accepted
 * @param sentByKind requests sent, by kind ({@code OPEN}, {@code TRANSFER}, ..., {@code INVALID})
 * @param refusedByType requests the target refused, by error type
 */
public record RunRecord(
        String runId,
        String namespace,
        String target,
        long accountsOpened,
        List<String> acceptedTransactionIds,
        Map<String, Long> sentByKind,
        Map<String, Long> refusedByType) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunRecord {
        acceptedTransactionIds = List.copyOf(acceptedTransactionIds);
        sentByKind = Map.copyOf(sentByKind);
        refusedByType = Map.copyOf(refusedByType);
    }

    public void write(Path file) {
        try {
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run record " + file, e);
        }
    }

    public static RunRecord read(Path file) {
        try {
            return JSON.readValue(file.toFile(), RunRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run record " + file, e);
        }
    }
}
