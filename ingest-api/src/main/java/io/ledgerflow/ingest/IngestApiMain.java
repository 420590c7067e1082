package io.ledgerflow.ingest;

import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.schemas.config.Settings;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Starts the ingest API from environment variables ({@link IngestApiConfig}). */
public final class IngestApiMain {

    private static final Logger LOG = LogManager.getLogger(IngestApiMain.class);

    private IngestApiMain() {}

    public static void main(String[] args) {
        Settings settings = Settings.fromEnvironment(System.getenv());
        IngestApiConfig config = IngestApiConfig.read(settings);
        settings.check();
        LOG.info("ingest API configuration:\n{}", settings.describe());
        ApiKeys keys;
        if (config.apiKeysFile().isPresent()) {
            keys = ApiKeys.load(config.apiKeysFile().get());
        } else if (config.partners().isPresent()
                && !config.partners().get().bootstrapAdminKey().isEmpty()) {
            // Partners as data with a bootstrap admin key: no development keys in that database.
            keys = null;
        } else {
            LOG.warn(
                    "LEDGERFLOW_API_KEYS_FILE not set: using the built-in development keys (never"
                            + " in production; with LEDGERFLOW_PARTNERS_JDBC_URL set, give"
                            + " LEDGERFLOW_BOOTSTRAP_ADMIN_KEY instead)");
            keys = ApiKeys.developmentKeys();
        }
        IngestApiServer server = IngestApiServer.withKafka(config, keys);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ingest-api-shutdown"));
        int port = server.start();
        LOG.info(
                "ingest API listening on port {} (Kafka {}, registry {})",
                port,
                config.bootstrapServers(),
                config.schemaRegistryUrl());
    }
}
