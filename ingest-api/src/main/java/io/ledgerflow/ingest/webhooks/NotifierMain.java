package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.schemas.config.Settings;
import java.time.Clock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Starts the notifier from environment variables ({@link NotifierConfig}). */
public final class NotifierMain {

    private static final Logger LOG = LogManager.getLogger(NotifierMain.class);

    private NotifierMain() {}

    public static void main(String[] args) {
        Settings settings = Settings.fromEnvironment(System.getenv());
        NotifierConfig config = NotifierConfig.read(settings);
        settings.check();
        LOG.info("notifier configuration:\n{}", settings.describe());
        if (config.webhooks().developmentKey()) {
            LOG.warn(
                    "LEDGERFLOW_WEBHOOK_SECRETS_KEY is not set: signing secrets are encrypted with"
                            + " the public development key; never outside a laptop");
        }
        Notifier notifier = new Notifier(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(notifier::close, "notifier-shutdown"));
        int port = notifier.start();
        LOG.info("notifier running; metrics and health on port {}", port);
    }
}
