package io.ledgerflow.ingest.webhooks;

import java.time.Instant;

/**
 * One event for a partner, as webhooks deliver it and the event stream sends it.
 *
 * @param eventId stable, derived from the committed result ({@link PartnerEvents#eventId}): the
 *     same result read twice is the same event
 * @param partnerId whose event it is
 * @param orderKey the account whose events go in order to an endpoint; null when none
 * @param type e.g. {@code transaction.completed}
 * @param occurredAt when the ledger decided
 * @param body the JSON body sent and signed, byte for byte
 */
public record PartnerEvent(
        String eventId,
        String partnerId,
        String orderKey,
        String type,
        Instant occurredAt,
        String body) {}
