package io.ledgerflow.testdata.target;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.Request;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A JSON-lines file, one request per line:
 *
 * <pre>
 * {"kind":"account","partnerId":"gen-p0001","body":{...POST /api/v1/accounts body...}}
 * {"kind":"movement","partnerId":"gen-p0001","body":{...POST /api/v1/transactions body...},
 *  "invalid":"NEGATIVE_AMOUNT","fraud":"VELOCITY_BURST"}
 * </pre>
 *
 * {@code body} is byte for byte what the HTTP target posts, so a file can be replayed against the
 * API; {@code invalid} and {@code fraud} are the generator's labels (absent when none).
 */
public final class JsonLinesTarget implements Target {

    private final BufferedWriter out;

    public JsonLinesTarget(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The JSON line of a request (without the newline). */
    public static String line(Request request) {
        ObjectNode line = RequestJson.MAPPER.createObjectNode();
        if (request instanceof AccountOpening o) {
            line.put("kind", "account");
            line.put("partnerId", o.partnerId());
            line.set("body", RequestJson.opening(o));
        } else {
            Movement m = (Movement) request;
            line.put("kind", "movement");
            line.put("partnerId", m.partnerId());
            line.set("body", RequestJson.movement(m));
            if (m.invalidity() != null) {
                line.put("invalid", m.invalidity().name());
            }
            if (m.fraudPattern() != null) {
                line.put("fraud", m.fraudPattern().name());
            }
        }
        return line.toString();
    }

    @Override
    public synchronized CompletableFuture<Outcome> send(Request request) {
        try {
            out.write(line(request));
            out.write('\n');
            return CompletableFuture.completedFuture(Outcome.success());
        } catch (IOException e) {
            return CompletableFuture.completedFuture(Outcome.failed(e));
        }
    }

    @Override
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
