package io.ledgerflow.ingest.settlement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.readmodel.settlement.BatchEntry;
import io.ledgerflow.readmodel.settlement.BatchLine;
import io.ledgerflow.readmodel.settlement.FeeRule;
import io.ledgerflow.readmodel.settlement.FeeSchedule;
import io.ledgerflow.readmodel.settlement.SettlementBatch;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import io.ledgerflow.schemas.money.MinorUnits;

/**
 * Fee schedules, settlement settings and batches as the API shows them. Amounts are decimal strings
 * in the currency's precision, as everywhere in the API; fee rules' fixed amounts and bounds too,
 * and the percentage in basis points.
 */
public final class SettlementJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SettlementJson() {}

    /** The node as UTF-8 JSON. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    public static ObjectNode feeSchedule(FeeSchedule s) {
        ObjectNode json = NODES.objectNode();
        json.put("partnerId", s.partnerId());
        json.put("version", s.version());
        json.put("effectiveFrom", s.effectiveFrom().toString());
        ArrayNode rules = json.putArray("rules");
        for (FeeRule r : s.rules()) {
            ObjectNode rule = rules.addObject();
            rule.put("movementType", r.movementType());
            rule.put("currency", r.currency());
            rule.put("percentBasisPoints", r.percentBp());
            rule.put("fixed", MinorUnits.format(r.fixedMinor(), r.currency()));
            if (r.minMinor() != null) {
                rule.put("minimum", MinorUnits.format(r.minMinor(), r.currency()));
            }
            if (r.maxMinor() != null) {
                rule.put("maximum", MinorUnits.format(r.maxMinor(), r.currency()));
            }
        }
        return json;
    }

    public static ObjectNode calendar(SettlementCalendar c) {
        ObjectNode json = NODES.objectNode();
        json.put("cutoffTime", c.cutoff().toString());
        json.put("timeZone", c.zone().getId());
        json.put("periodHours", c.periodHours());
        return json;
    }

    /** A batch's head and figures; with {@code details}, its lines and covered entries too. */
    public static ObjectNode batch(SettlementBatch b, String contentHash, boolean details) {
        String cur = b.currency();
        ObjectNode json = NODES.objectNode();
        json.put("batchId", b.batchId());
        json.put("partnerId", b.partnerId());
        json.put("currency", cur);
        json.put("settlementAccountId", b.settlementAccountId());
        json.put("periodStart", b.period().start().toString());
        json.put("periodEnd", b.period().end().toString());
        json.put("closedAt", b.closedAt().toString());
        json.put("entryCount", b.entries().size());
        if (b.firstSequence() != null) {
            json.put("firstSequence", b.firstSequence());
            json.put("lastSequence", b.lastSequence());
        }
        json.put("adjustmentCount", b.adjustmentCount());
        json.put("credits", MinorUnits.format(b.creditsMinor(), cur));
        json.put("debits", MinorUnits.format(b.debitsMinor(), cur));
        json.put("refundCount", b.refundCount());
        json.put("refunds", MinorUnits.format(b.refundsMinor(), cur));
        json.put("fees", MinorUnits.format(b.feesMinor(), cur));
        json.put("carriedIn", signed(b.carriedInMinor(), cur));
        json.put("netPayable", signed(b.netPayableMinor(), cur));
        json.put("payout", MinorUnits.format(b.payoutMinor(), cur));
        json.put("carriedOut", signed(b.carriedOutMinor(), cur));
        optional(json, "feeTransactionId", b.feeTransactionId());
        optional(json, "payoutTransactionId", b.payoutTransactionId());
        json.put("hashFormat", SettlementBatch.HASH_FORMAT);
        json.put("contentHash", contentHash);
        // Recomputed from the stored rows: false means a stored row no longer matches its hash.
        json.put("contentHashVerified", b.contentHash().equals(contentHash));
        if (details) {
            ArrayNode lines = json.putArray("lines");
            for (BatchLine l : b.lines()) {
                ObjectNode line = lines.addObject();
                line.put("direction", l.direction());
                line.put("movementType", l.movementType());
                line.put("adjustment", l.adjustment());
                line.put("count", l.entryCount());
                line.put("gross", MinorUnits.format(l.grossMinor(), cur));
                line.put("fees", MinorUnits.format(l.feesMinor(), cur));
            }
            ArrayNode entries = json.putArray("entries");
            for (BatchEntry e : b.entries()) {
                ObjectNode entry = entries.addObject();
                entry.put("accountId", e.posting().accountId());
                entry.put("sequence", e.posting().sequence());
                entry.put("transactionId", e.posting().transactionId());
                entry.put("movementType", e.posting().movementType());
                entry.put("direction", e.posting().direction());
                entry.put("amount", MinorUnits.format(e.posting().amountMinor(), cur));
                entry.put("fee", MinorUnits.format(e.feeMinor(), cur));
                if (e.feeVersion() != null) {
                    entry.put("feeScheduleVersion", e.feeVersion());
                }
                entry.put("eventTime", e.posting().eventTime().toString());
                entry.put("postedTime", e.posting().postedTime().toString());
                entry.put("adjustment", e.adjustment());
                entry.put("entryHash", e.posting().entryHash());
            }
        }
        return json;
    }

    /** A signed amount: "-12.34" for a negative one. */
    static String signed(long minor, String currency) {
        return MinorUnits.format(minor, currency);
    }

    private static void optional(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
