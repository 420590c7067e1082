package io.ledgerflow.ingest.history;

import io.ledgerflow.readmodel.history.AccountStatement;
import io.ledgerflow.readmodel.history.HistoryEntry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A statement as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma,
 * a quote or a line break). One table, every row the same columns, so that spreadsheets and {@code
 * COPY} read it as it is; the kind of row is its first column:
 *
 * <pre>
 * record,sequence,posted_at,transaction_id,type,direction,amount,balance_after,counterparty_account_id,reversal,external_reference
 * OPENING,,2026-11-01T00:00:00Z,,,,,100.00,,,          balance before from (posted_at = from)
 * ENTRY,7,2026-11-03T10:15:30.123456Z,t-1,TRANSFER,DEBIT,12.34,87.66,acc-2,false,inv-7
 * TOTAL_CREDITS,,,,,CREDIT,0.00,,,,                    sum of the credits (amount), their count in sequence
 * TOTAL_DEBITS,,,,,DEBIT,12.34,,,,                     sum of the debits
 * CLOSING,,2026-12-01T00:00:00Z,,,,,87.66,,,           balance after the last entry (posted_at = to)
 * </pre>
 *
 * Amounts are unsigned decimals in the currency's precision, as everywhere in the API; the
 * direction says which way an entry moved money.
 */
final class StatementCsv {

    static final String CONTENT_TYPE = "text/csv; charset=utf-8; header=present";

    static final List<String> COLUMNS =
            List.of(
                    "record",
                    "sequence",
                    "posted_at",
                    "transaction_id",
                    "type",
                    "direction",
                    "amount",
                    "balance_after",
                    "counterparty_account_id",
                    "reversal",
                    "external_reference");

    private StatementCsv() {}

    static byte[] render(AccountStatement s) {
        String currency = s.account().currency();
        StringBuilder csv = new StringBuilder(128 + 160 * s.entries().size());
        row(csv, COLUMNS.toArray(String[]::new));
        row(
                csv,
                "OPENING",
                "",
                s.from().toString(),
                "",
                "",
                "",
                "",
                money(s.openingBalanceMinor(), currency),
                "",
                "",
                "");
        long credits = 0;
        long debits = 0;
        for (HistoryEntry e : s.entries()) {
            if (HistoryEntry.DEBIT.equals(e.direction())) {
                debits++;
            } else {
                credits++;
            }
            row(
                    csv,
                    "ENTRY",
                    Long.toString(e.sequence()),
                    e.postedTime().toString(),
                    e.transactionId(),
                    e.movementType(),
                    e.direction(),
                    money(BigInteger.valueOf(e.amountMinor()), currency),
                    money(e.balanceAfterMinor(), currency),
                    e.counterpartyAccountId(),
                    Boolean.toString(e.reversal()),
                    e.externalReference() == null ? "" : e.externalReference());
        }
        row(
                csv,
                "TOTAL_CREDITS",
                Long.toString(credits),
                "",
                "",
                "",
                HistoryEntry.CREDIT,
                money(s.creditsMinor(), currency),
                "",
                "",
                "",
                "");
        row(
                csv,
                "TOTAL_DEBITS",
                Long.toString(debits),
                "",
                "",
                "",
                HistoryEntry.DEBIT,
                money(s.debitsMinor(), currency),
                "",
                "",
                "",
                "");
        row(
                csv,
                "CLOSING",
                "",
                s.to().toString(),
                "",
                "",
                "",
                "",
                money(s.closingBalanceMinor(), currency),
                "",
                "",
                "");
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Minor units as the API writes money: the currency's fraction digits, plain decimal. */
    static String money(BigInteger minor, String currency) {
        return new BigDecimal(minor, io.ledgerflow.schemas.money.MinorUnits.exponent(currency))
                .toPlainString();
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

    /** RFC 4180 quoting: only fields holding a comma, a quote or a line break are quoted. */
    static String field(String value) {
        boolean quote =
                value.indexOf(',') >= 0
                        || value.indexOf('"') >= 0
                        || value.indexOf('\r') >= 0
                        || value.indexOf('\n') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
