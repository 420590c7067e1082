package io.ledgerflow.ingest.limits;

import io.ledgerflow.schemas.config.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * The rate-limit settings of the ingest API ({@code IngestApiConfig}), read through {@link
 * Settings}:
 *
 * <pre>
 * variable                           default
 * LEDGERFLOW_RATE_LIMITS_ENABLED     true
 * LEDGERFLOW_PARTNER_REQUEST_RATE    100    requests/s per partner, all instances together
 * LEDGERFLOW_PARTNER_REQUEST_BURST   200
 * LEDGERFLOW_PARTNER_MOVEMENT_RATE   100    movements/s per partner; a batch item counts one
 * LEDGERFLOW_PARTNER_MOVEMENT_BURST  1000   one full batch (LEDGERFLOW_MAX_BATCH_ITEMS)
 * LEDGERFLOW_API_INSTANCE_ID         host name and a random suffix
 * LEDGERFLOW_API_INSTANCE_HEARTBEAT  1s     api_instances row refresh (with the read model only)
 * LEDGERFLOW_API_INSTANCE_LIVENESS   3s     an instance silent longer no longer counts
 * LEDGERFLOW_PARTNER_METRIC_LABELS   2000   partners with their own label on /metrics
 * </pre>
 *
 * <p>Why these defaults: about 1,000 partners each send about 10,000 payments a day, 10 million a
 * day or 116/s on average (0.12/s per partner), with peaks near 5,000/s in total, i.e. 5/s per
 * partner at peak if traffic were even. It is not: partners send end-of-day files and bursts. 100
 * movements/s lets one partner send its whole day in under two minutes and use 2% of the peak
 * capacity, twenty times its even share, while any one partner flooding is held to that 2%: fifty
 * partners at their limit together would still fit the 5,000/s the platform is sized for. The
 * movement burst equals the largest batch, so one full batch passes from a rested allowance. The
 * request limit equals the movement limit (a partner sending single movements is not held back by
 * it) and bounds the cheap routes (GETs) that the movement limit does not count; its burst of two
 * seconds absorbs a client's reconnect or retry wave.
 *
 * @param enabled false disables both limits (benchmarks of raw throughput)
 * @param defaults the limits of partners without overrides
 * @param instanceId this instance's row in {@code api_instances}
 * @param heartbeat how often the row is refreshed and the live instances counted
 * @param liveness how old a row may be and still count
 * @param metricsMaxPartners distinct partner labels on {@code /metrics}; later partners share the
 *     label {@code _other}
 */
public record RateLimitSettings(
        boolean enabled,
        PartnerLimits defaults,
        String instanceId,
        Duration heartbeat,
        Duration liveness,
        int metricsMaxPartners) {

    /** The defaults above. */
    public static final PartnerLimits DEFAULT_LIMITS = new PartnerLimits(100, 200, 100, 1000);

    /** Rows of instances silent this long are deleted. */
    public static final Duration FORGET_AFTER = Duration.ofMinutes(1);

    /** Reads the settings; {@link Settings#check} reports what was wrong. */
    public static RateLimitSettings read(Settings s) {
        int max = PartnerLimits.MAX;
        PartnerLimits d = DEFAULT_LIMITS;
        PartnerLimits defaults =
                new PartnerLimits(
                        (int) s.integer("partner-request-rate", d.requestsPerSecond(), 1, max),
                        (int) s.integer("partner-request-burst", d.requestBurst(), 1, max),
                        (int) s.integer("partner-movement-rate", d.movementsPerSecond(), 1, max),
                        (int) s.integer("partner-movement-burst", d.movementBurst(), 1, max));
        Duration heartbeat = s.duration("api-instance-heartbeat", Duration.ofSeconds(1));
        Duration liveness = s.duration("api-instance-liveness", Duration.ofSeconds(3));
        if (liveness.compareTo(heartbeat.multipliedBy(2)) < 0) {
            s.problem(
                    s.key("api-instance-liveness")
                            + " must be at least twice "
                            + s.key("api-instance-heartbeat")
                            + ", or a live instance would flicker in and out of the count");
        }
        return new RateLimitSettings(
                s.bool("rate-limits-enabled", true),
                defaults,
                s.string("api-instance-id", defaultInstanceId()),
                heartbeat,
                liveness,
                s.positiveInt("partner-metric-labels", 2000));
    }

    /** The pod name on Kubernetes (HOSTNAME), made unique across restarts of the same pod. */
    private static String defaultInstanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "api");
        return host.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
