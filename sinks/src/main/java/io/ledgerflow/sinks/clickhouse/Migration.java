package io.ledgerflow.sinks.clickhouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned migration file, {@code V<version>__<description>.sql}: its statements and a
 * checksum of its text, so that an already applied migration that was edited afterwards is caught
 * instead of silently diverging from the databases it ran on.
 */
public record Migration(int version, String description, String sql, String checksum) {

    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    /** Parses a file name and its text; a name that does not follow the convention fails. */
    public static Migration of(String fileName, String sql) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "migration file " + fileName + " is not named V<version>__<description>.sql");
        }
        return new Migration(
                Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), sql, sha256(sql));
    }

    /**
     * The statements, split at semicolons that end a line. Line comments are dropped first so a
     * semicolon in a comment does not split a statement.
     */
    public List<String> statements() {
        StringBuilder text = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : text.toString().split(";\\s*(\n|$)")) {
            if (!part.isBlank()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }

    private static String sha256(String text) {
        try {
            // Line endings do not change a migration's meaning; a checkout with CRLF must match.
            byte[] bytes = text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
