package io.ledgerflow.testdata.check;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * @param acceptedTransactions the ids of every movement the target accepted, in {@link
 *     TransactionIdSet}'s compact text form
 * @param sentByKind requests sent, by kind ({@code OPEN}, {@code TRANSFER}, ..., {@code INVALID})
 * @param refusedByType requests the target refused, by error type
 */
public record RunRecord(
        String runId,
        String namespace,
        String target,
        long accountsOpened,
        String acceptedTransactions,
        Map<String, Long> sentByKind,
        Map<String, Long> refusedByType) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunRecord {
        sentByKind = Map.copyOf(sentByKind);
        refusedByType = Map.copyOf(refusedByType);
    }

    /** The accepted transaction ids as a set. */
    @JsonIgnore
    public TransactionIdSet accepted() {
        return TransactionIdSet.decode(runId, acceptedTransactions);
    }

    @JsonIgnore
    public long acceptedCount() {
        return accepted().size();
    }

    /** The accepted transaction ids as a list of strings (for small runs and tests). */
    @JsonIgnore
    public List<String> acceptedTransactionIds() {
        List<String> ids = new ArrayList<>();
        accepted().forEach(ids::add);
        return ids;
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
