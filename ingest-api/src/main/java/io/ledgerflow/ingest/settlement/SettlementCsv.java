package io.ledgerflow.ingest.settlement;

import io.ledgerflow.readmodel.settlement.BatchEntry;
import io.ledgerflow.readmodel.settlement.BatchLine;
import io.ledgerflow.readmodel.settlement.SettlementBatch;
import io.ledgerflow.schemas.money.MinorUnits;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A settlement batch as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when they hold a
 * comma, a quote or a line break). One table, every row the same columns; the first column says
 * what the row is:
 *
 * <pre>
 * record,batch_id,sequence,transaction_id,movement_type,direction,adjustment,count,amount,fee,event_time,posted_time
 * ENTRY,stl-...,3,t1,TRANSFER,CREDIT,false,1,100.05,3.20,2026-12-01T09:00:00Z,2026-12-07T19:31:02.123Z
 * LINE,stl-...,,,TRANSFER,CREDIT,false,3,610.10,4.40,,
 * TOTAL_CREDITS,stl-...,,,,,,4,610.10,,,
 * TOTAL_DEBITS,...   TOTAL_REFUNDS,...   FEES,...   CARRIED_IN,...   NET_PAYABLE,...   PAYOUT,...   CARRIED_OUT,...
 * HASH,stl-...,,,,,,,,,,   (the content hash in transaction_id's column, its format in count)
 * </pre>
 *
 * Amounts are decimals in the currency's precision; NET_PAYABLE, CARRIED_IN and CARRIED_OUT may be
 * negative.
 */
public final class SettlementCsv {

    public static final String CONTENT_TYPE = "text/csv; charset=utf-8; header=present";

    static final List<String> COLUMNS =
            List.of(
                    "record",
                    "batch_id",
                    "sequence",
                    "transaction_id",
                    "movement_type",
                    "direction",
                    "adjustment",
                    "count",
                    "amount",
                    "fee",
                    "event_time",
                    "posted_time");

    private SettlementCsv() {}

    public static byte[] render(SettlementBatch b, String contentHash) {
        String cur = b.currency();
        String id = b.batchId();
        StringBuilder csv = new StringBuilder(512 + 160 * b.entries().size());
        row(csv, COLUMNS.toArray(String[]::new));
        for (BatchEntry e : b.entries()) {
            row(
                    csv,
                    "ENTRY",
                    id,
                    Long.toString(e.posting().sequence()),
                    e.posting().transactionId(),
                    e.posting().movementType(),
                    e.posting().direction(),
                    Boolean.toString(e.adjustment()),
                    "1",
                    MinorUnits.format(e.posting().amountMinor(), cur),
                    MinorUnits.format(e.feeMinor(), cur),
                    e.posting().eventTime().toString(),
                    e.posting().postedTime().toString());
        }
        for (BatchLine l : b.lines()) {
            row(
                    csv,
                    "LINE",
                    id,
                    "",
                    "",
                    l.movementType(),
                    l.direction(),
                    Boolean.toString(l.adjustment()),
                    Integer.toString(l.entryCount()),
                    MinorUnits.format(l.grossMinor(), cur),
                    MinorUnits.format(l.feesMinor(), cur),
                    "",
                    "");
        }
        total(csv, "TOTAL_CREDITS", id, b.creditsMinor(), cur);
        total(csv, "TOTAL_DEBITS", id, b.debitsMinor(), cur);
        total(csv, "TOTAL_REFUNDS", id, b.refundsMinor(), cur);
        total(csv, "FEES", id, b.feesMinor(), cur);
        total(csv, "CARRIED_IN", id, b.carriedInMinor(), cur);
        total(csv, "NET_PAYABLE", id, b.netPayableMinor(), cur);
        total(csv, "PAYOUT", id, b.payoutMinor(), cur);
        total(csv, "CARRIED_OUT", id, b.carriedOutMinor(), cur);
        row(
                csv,
                "HASH",
                id,
                "",
                contentHash,
                "",
                "",
                "",
                Integer.toString(SettlementBatch.HASH_FORMAT),
                "",
                "",
                "",
                "");
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void total(StringBuilder csv, String record, String id, long minor, String cur) {
        row(csv, record, id, "", "", "", "", "", "", MinorUnits.format(minor, cur), "", "", "");
    }

    private static void row(StringBuilder csv, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields[i]));
        }
        csv.append("\r\n");
    }

    static String field(String value) {
        if (value.indexOf(',') < 0
                && value.indexOf('"') < 0
                && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
