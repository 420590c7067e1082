package io.ledgerflow.ingest.testutils;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verifies received webhooks with the Standard Webhooks reference library (npm {@code
 * standardwebhooks}, {@code ingest-api/webhook-verifier/verify.js}, installed by the build), run by
 * Node: an implementation independent of the project's signer. Returns one line per webhook, {@code
 * ok <id>} or {@code bad <id> <reason>}.
 */
public final class StandardWebhooksVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StandardWebhooksVerifier() {}

    public static List<String> verify(String secret, List<WebhookReceiver.Received> received)
            throws Exception {
        Path dir = Path.of("webhook-verifier").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules/standardwebhooks"))) {
            throw new IllegalStateException(
                    "npm standardwebhooks is not installed in "
                            + dir
                            + ": run the build (it runs npm ci there)");
        }
        Process node =
                new ProcessBuilder("node", "verify.js")
                        .directory(dir.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try (Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            for (WebhookReceiver.Received r : received) {
                ObjectNode line = JSON.createObjectNode();
                line.put("secret", secret);
                line.put("id", r.id());
                line.put("timestamp", r.timestamp());
                line.put("signature", r.signature());
                line.put("body", r.body());
                in.write(line.toString());
                in.write('\n');
            }
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.add(line);
            }
        }
        if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new IllegalStateException("node verify.js failed");
        }
        return out;
    }
}
