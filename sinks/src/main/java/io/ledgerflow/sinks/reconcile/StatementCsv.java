package io.ledgerflow.sinks.reconcile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/**
 * Reads a statement in the documented CSV layout (sinks README, "Statement layout"): UTF-8, a
 * header line naming the columns {@code date,amount,currency,reference,description,direction} (any
 * order, case-insensitive), fields separated by commas and quoted with {@code "} when they hold a
 * comma or a quote (RFC 4180, a quote doubled). {@code date} ISO ({@code 2026-12-07}); {@code
 * amount} positive, in major units with a point ({@code 1234.50}), at most as many decimals as the
 * currency has; {@code currency} ISO 4217; {@code direction} {@code CREDIT} (money in) or {@code
 * DEBIT} (money out). Every bad line is named at once, with its number and why.
 */
public final class StatementCsv {

    static final List<String> COLUMNS =
            List.of("date", "amount", "currency", "reference", "description", "direction");

    private StatementCsv() {}

    public static List<StatementLine> parse(Reader reader) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String header = in.readLine();
        if (header == null) {
            throw new IllegalArgumentException("the statement is empty: no header line");
        }
        List<String> names =
                split(header.startsWith("\uFEFF") ? header.substring(1) : header).stream()
                        .map(n -> n.strip().toLowerCase(Locale.ROOT))
                        .toList();
        int[] at = new int[COLUMNS.size()];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            at[i] = names.indexOf(COLUMNS.get(i));
            if (at[i] < 0) {
                problems.add("line 1: no column " + COLUMNS.get(i));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        List<StatementLine> lines = new ArrayList<>();
        int number = 1;
        String line;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line);
            if (f.size() != names.size()) {
                problems.add(
                        "line "
                                + number
                                + ": "
                                + f.size()
                                + " fields, the header has "
                                + names.size());
                continue;
            }
            try {
                lines.add(
                        line(
                                number,
                                f.get(at[0]),
                                f.get(at[1]),
                                f.get(at[2]),
                                f.get(at[3]),
                                f.get(at[4]),
                                f.get(at[5])));
            } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
                problems.add("line " + number + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return lines;
    }

    private static StatementLine line(
            int number,
            String date,
            String amount,
            String currency,
            String reference,
            String description,
            String direction) {
        Currency c;
        try {
            c = Currency.getInstance(currency.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency " + currency + " is not ISO 4217");
        }
        BigDecimal major;
        try {
            major = new BigDecimal(amount.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount " + amount + " is not a number like 12.50");
        }
        if (major.signum() <= 0) {
            throw new IllegalArgumentException(
                    "amount " + amount + " must be positive (the" + " direction says in or out)");
        }
        int digits = Math.max(0, c.getDefaultFractionDigits());
        if (major.stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException(
                    "amount "
                            + amount
                            + " has more decimals than "
                            + c.getCurrencyCode()
                            + " ("
                            + digits
                            + ")");
        }
        StatementLine.Direction d;
        try {
            d = StatementLine.Direction.valueOf(direction.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "direction " + direction + " is neither CREDIT nor" + " DEBIT");
        }
        return new StatementLine(
                number,
                LocalDate.parse(date.strip()),
                d,
                major.movePointRight(digits).longValueExact(),
                c.getCurrencyCode(),
                reference.strip(),
                description.strip());
    }

    /** RFC 4180 fields of one line. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    f.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(ch);
            }
        }
        fields.add(f.toString());
        return fields;
    }
}
