package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import java.time.Duration;

/**
 * What the API (endpoint routes, event stream) and the notifier (deliveries) share, read from the
 * same variables by both:
 *
 * <pre>
 * LEDGERFLOW_WEBHOOK_SECRETS_KEY     (or …_FILE, a mounted Secret) 32 bytes in base64: AES-256-GCM key of
 *                                    the stored signing secrets; unset: a public development key, with a warning
 * LEDGERFLOW_WEBHOOK_URL_POLICY      production   development | staging | production ({@link EndpointUrls})
 * LEDGERFLOW_EVENT_RETENTION         7d           how long events are kept: the event stream resumes from
 *                                                 at most this far back, and replays reach back as far
 * LEDGERFLOW_WEBHOOK_RETRY_PERIOD    24h          retry a delivery this long, then park it as failed
 * </pre>
 */
public record WebhookSettings(
        Secret secretsKey,
        EndpointUrls.Policy urlPolicy,
        Duration retention,
        Duration retryPeriod) {

    /** Public (it is in the source): for laptops and tests only. */
    public static final Secret DEVELOPMENT_SECRETS_KEY =
            Secret.of("bGVkZ2VyZmxvdy1kZXZlbG9wbWVudC13ZWJob29rcyE=");

    public static WebhookSettings read(Settings s) {
        Secret key = s.secret("webhook-secrets-key", null, DEVELOPMENT_SECRETS_KEY);
        try {
            SecretBox.fromBase64(key.reveal());
        } catch (IllegalArgumentException e) {
            s.problem(s.key("webhook-secrets-key") + ": " + e.getMessage());
        }
        EndpointUrls.Policy policy =
                s.parsed(
                        "webhook-url-policy",
                        EndpointUrls.Policy.PRODUCTION,
                        EndpointUrls.Policy::parse,
                        "development, staging or production");
        Duration retention = s.duration("event-retention", Duration.ofDays(7));
        Duration retryPeriod = s.duration("webhook-retry-period", Duration.ofHours(24));
        return new WebhookSettings(key, policy, retention, retryPeriod);
    }

    public boolean developmentKey() {
        return secretsKey.reveal().equals(DEVELOPMENT_SECRETS_KEY.reveal());
    }

    public SecretBox secretBox() {
        return SecretBox.fromBase64(secretsKey.reveal());
    }
}
