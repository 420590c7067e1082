package io.ledgerflow.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration of the API: duplicate keys are an error (a body with two {@code
 * amount} members is ambiguous, so it is rejected rather than silently taking the last), numbers
 * stay exact, and nesting and number length are bounded (numbers that cannot be represented at all
 * are refused as malformed).
 */
public final class Json {

    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(16)
                                    .maxStringLength(1 << 20)
                                    .build())
                    .build();

    private static final ObjectMapper MAPPER =
            JsonMapper.builder(FACTORY)
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private Json() {}

    /** Parses a request body into a tree, or throws {@link InvalidRequestException}. */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequestException(
                    Problem.of(ErrorCode.MALFORMED_JSON, "the request body is empty"));
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw new InvalidRequestException(
                        Problem.of(ErrorCode.MALFORMED_JSON, "the request body is empty"));
            }
            return node;
        } catch (InvalidRequestException e) {
            throw e;
        } catch (NumberFormatException e) {
            // Valid JSON syntax, but a number whose exponent does not fit BigDecimal's int scale
            // (1e-2147483649): Jackson throws this unchecked while building the tree, anywhere in
            // the body, even in a field that is refused later. Bad input, so a 400, not a 500.
            throw new InvalidRequestException(
                    Problem.of(
                            ErrorCode.MALFORMED_JSON,
                            "invalid JSON: a number in the body is out of range"));
        } catch (IOException e) {
            // Jackson's message names the line and column; it never echoes the whole payload.
            String message = e.getMessage() == null ? "" : e.getMessage();
            int cut = message.indexOf('\n');
            throw new InvalidRequestException(
                    Problem.of(
                            ErrorCode.MALFORMED_JSON,
                            "invalid JSON: " + (cut > 0 ? message.substring(0, cut) : message)));
        }
    }

    /** Writes a JSON document with a generator; the small, allocation-light way to answer. */
    public static byte[] write(JsonWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Body of a problem document. */
    public static byte[] problem(Problem problem, String requestId) {
        return write(
                json -> {
                    json.writeStartObject();
                    problem.writeMembers(json);
                    if (requestId != null) {
                        json.writeStringField("requestId", requestId);
                    }
                    json.writeEndObject();
                });
    }

    /** Something that writes JSON. */
    @FunctionalInterface
    public interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }
}
