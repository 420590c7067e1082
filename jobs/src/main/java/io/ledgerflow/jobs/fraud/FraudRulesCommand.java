package io.ledgerflow.jobs.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerflow.avro.FraudMode;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.FraudRuleType;
import io.ledgerflow.avro.FraudSeverity;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes fraud rules from a JSON file to the rules topic, where every running ledger job picks
 * them up without a restart. Each rule is checked here first, with the same checks the ledger job
 * makes on receipt, so a typo fails at the operator's desk rather than in the dead letters.
 *
 * <pre>
 * java -cp jobs.jar io.ledgerflow.jobs.fraud.FraudRulesCommand \
 *     --bootstrap-servers 127.0.0.1:9092 --schema-registry-url http://127.0.0.1:8081/apis/ccompat/v7 \
 *     --changed-by alice [--file rules.json] [--topic-prefix ""] [--fraud-activity-retention 1d]
 * </pre>
 *
 * The {@code --fraud-*} settings are the ledger job's ({@link FraudScreenSettings}): give the same
 * values as the job, so that a rule the job would refuse (a window longer than the activity it
 * keeps) is refused here.
 *
 * <p>Without {@code --file} it publishes the starter set {@code fraud/default-rules.json}. To
 * change a rule, publish it with a higher {@code version}; to disable it, {@code "enabled": false}.
 */
public final class FraudRulesCommand {

    public static final String DEFAULT_RULES = "/fraud/default-rules.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FraudRulesCommand() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        KafkaSettings kafka =
                KafkaSettings.read(settings, "bootstrap-servers", KafkaSettings.LOCAL);
        RegistrySettings registry = RegistrySettings.read(settings, RegistrySettings.LOCAL);
        String changedBy = settings.string("changed-by", System.getProperty("user.name"));
        String file = settings.string("file", null);
        // The ledger job's own limits, when it runs with others than the defaults.
        FraudScreenSettings screen =
                FraudScreenSettings.read(settings, FraudScreenSettings.defaults());
        settings.check();
        System.out.print("fraud rules command configuration:\n" + settings.describe());
        List<FraudRule> rules;
        try (InputStream in =
                file != null
                        ? Files.newInputStream(Path.of(file))
                        : FraudRulesCommand.class.getResourceAsStream(DEFAULT_RULES)) {
            rules = read(in, changedBy, Instant.now(), screen);
        }
        String topic = kafka.topic(Topics.FRAUD_RULES);
        publish(kafka.bootstrapServers(), registry.url(), topic, rules);
        for (FraudRule r : rules) {
            System.out.printf(
                    "published %s v%d (%s, %s, %s) to %s%n",
                    r.getRuleId(),
                    r.getVersion(),
                    r.getRuleType(),
                    r.getMode(),
                    r.getEnabled() ? "enabled" : "disabled",
                    topic);
        }
    }

    /** {@link #read(InputStream, String, Instant, FraudScreenSettings)} with the default limits. */
    public static List<FraudRule> read(InputStream json, String changedBy, Instant changedAt) {
        return read(json, changedBy, changedAt, FraudScreenSettings.defaults());
    }

    /**
     * Reads {@code {"rules": [{ruleId, ruleType, mode, enabled, severity, version, description,
     * thresholds: {...}}]}} and checks every rule as a ledger job with {@code screen} will.
     *
     * @throws IllegalArgumentException naming the first rule that would be refused
     */
    public static List<FraudRule> read(
            InputStream json, String changedBy, Instant changedAt, FraudScreenSettings screen) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON rules file", e);
        }
        List<FraudRule> rules = new ArrayList<>();
        for (JsonNode node : root.path("rules")) {
            Map<String, String> thresholds = new LinkedHashMap<>();
            node.path("thresholds")
                    .fields()
                    .forEachRemaining(e -> thresholds.put(e.getKey(), e.getValue().asText()));
            FraudRule rule =
                    FraudRule.newBuilder()
                            .setRuleId(node.path("ruleId").asText())
                            .setRuleType(FraudRuleType.valueOf(node.path("ruleType").asText()))
                            .setMode(FraudMode.valueOf(node.path("mode").asText("ALERT")))
                            .setEnabled(node.path("enabled").asBoolean(true))
                            .setSeverity(
                                    FraudSeverity.valueOf(node.path("severity").asText("MEDIUM")))
                            .setThresholds(thresholds)
                            .setVersion(node.path("version").asLong())
                            .setChangedBy(changedBy)
                            .setChangedAt(changedAt)
                            .setDescription(node.path("description").asText(""))
                            .build();
            try {
                ScreeningRule.parse(rule, screen);
            } catch (InvalidFraudRuleException e) {
                throw new IllegalArgumentException(
                        "rule " + rule.getRuleId() + " would be refused: " + e.getMessage(), e);
            }
            rules.add(rule);
        }
        return rules;
    }

    /** Publishes rules keyed by rule id (acks=all, idempotent) and waits until Kafka has them. */
    public static void publish(
            String bootstrapServers, String registryUrl, String topic, List<FraudRule> rules) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, FraudRule> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(
                                SchemaRegistryClient.forUrl(registryUrl), FraudRule.class))) {
            for (FraudRule rule : rules) {
                producer.send(new ProducerRecord<>(topic, rule.getRuleId(), rule));
            }
            producer.flush();
        }
    }
}
