package io.ledgerflow.ingest.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code partner} label of a metric, capped: the first {@code maxPartners} partners seen get
 * their own label, every later one shares {@link #OTHER}. Each label value costs a set of series in
 * Prometheus for as long as the process lives, so the cap bounds the series of a process whatever
 * the number of partners. The API ({@link PartnerMetrics}) and the webhook notifier use it with the
 * same setting, {@code LEDGERFLOW_PARTNER_METRIC_LABELS} (2,000 by default).
 */
public final class PartnerLabels {

    /** The partner label of partners beyond the cap. */
    public static final String OTHER = "_other";

    private final int maxPartners;
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();

    public PartnerLabels(int maxPartners) {
        if (maxPartners < 1) {
            throw new IllegalArgumentException("maxPartners must be positive: " + maxPartners);
        }
        this.maxPartners = maxPartners;
    }

    /** The label of {@code partnerId}: itself while the cap allows, else {@link #OTHER}. */
    public String of(String partnerId) {
        if (labelled.contains(partnerId)) {
            return partnerId;
        }
        // Racing past the cap by a few partners is harmless; the cap bounds, it does not count.
        if (labelled.size() >= maxPartners) {
            return OTHER;
        }
        labelled.add(partnerId);
        return partnerId;
    }

    /** Partners with a label of their own so far (at most the cap, give or take a race). */
    public int labelled() {
        return labelled.size();
    }
}
