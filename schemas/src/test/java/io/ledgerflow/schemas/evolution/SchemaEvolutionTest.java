package io.ledgerflow.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The build's guard against breaking schema changes: every schema in {@code src/main/avro} must be
 * recorded in {@code src/main/avro-history} and read data written with every recorded version.
 */
class SchemaEvolutionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Schema> current =
            SchemaHistory.currentSchemas(SchemaHistory.SOURCE_DIR);
    private final SchemaHistory history = SchemaHistory.load(SchemaHistory.HISTORY_DIR);

    @Test
    void everySchemaIsRecordedAndReadsAllItsEarlierVersions() {
        assertThat(current).containsKeys("LedgerRequest", "MoneyMovement", "LedgerInstruction");
        assertThat(history.problems(current))
                .as("schema evolution problems (see schemas/README.md)")
                .isEmpty();
    }

    @Test
    void newFieldWithoutDefaultIsIncompatible() throws IOException {
        Schema changed =
                edit(
                        current.get("MoneyMovement"),
                        fields -> fields.addObject().put("name", "channel").put("type", "string"));

        // Even once recorded as the next version, it cannot read data of the earlier ones: they
        // have no value for the new field.
        assertThat(history.withVersion("MoneyMovement", changed).problems("MoneyMovement", changed))
                .isNotEmpty()
                .allSatisfy(
                        problem ->
                                assertThat(problem).contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
                .anySatisfy(
                        problem ->
                                assertThat(problem).contains("cannot read data written with v1"));
    }

    @Test
    void removedEnumSymbolIsIncompatible() throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(current.get("MovementType").toString());
        ((ArrayNode) json.get("symbols")).remove(6); // REFUND
        Schema changed = new Schema.Parser().parse(json.toString());

        assertThat(history.withVersion("MovementType", changed).problems("MovementType", changed))
                .singleElement()
                .asString()
                .contains("MISSING_ENUM_SYMBOLS");
    }

    @Test
    void newFieldWithDefaultIsCompatibleButMustBeRecorded() throws IOException {
        Schema changed =
                edit(
                        current.get("MoneyMovement"),
                        fields ->
                                fields.addObject()
                                        .put("name", "channel")
                                        .put("type", "string")
                                        .put("default", "api"));

        assertThat(history.problems("MoneyMovement", changed))
                .singleElement()
                .asString()
                .contains("differs from its latest recorded version v3", "v4.avsc");
        assertThat(history.withVersion("MoneyMovement", changed).problems("MoneyMovement", changed))
                .isEmpty();
    }

    @Test
    void changedDefaultMustBeRecorded() throws IOException {
        // The parsing canonical form drops defaults, yet they decide how old data reads.
        Schema changed =
                edit(
                        current.get("LedgerInstruction"),
                        fields -> ((ObjectNode) fields.get(8)).put("default", 1));

        assertThat(history.problems("LedgerInstruction", changed))
                .singleElement()
                .asString()
                .contains("differs from its latest recorded version");
    }

    @Test
    void newTypeNeedsAHistory() throws IOException {
        Schema added =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"enum\",\"name\":\"Channel\","
                                        + "\"namespace\":\"io.ledgerflow.avro\",\"symbols\":[\"API\"]}");

        assertThat(history.problems("Channel", added))
                .singleElement()
                .asString()
                .contains("has no history", "Channel/v1.avsc");
    }

    private static Schema edit(Schema schema, Consumer<ArrayNode> fields) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        fields.accept((ArrayNode) json.get("fields"));
        return new Schema.Parser().parse(json.toString());
    }
}
