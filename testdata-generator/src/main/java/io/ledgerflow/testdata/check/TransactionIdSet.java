package io.ledgerflow.testdata.check;

import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of one run's transaction ids, compact: the generator's ids are {@code <runId>-<n>}
 * (movements) and {@code <runId>-open-<n>} (opening deposits), so a set is two bitsets, about one
 * bit per id instead of some 100 bytes per string. A 5,000/s run of an hour (18 million ids) takes
 * about 2 MB, so a load run and its check fit a small heap. Ids of any other form (none today) are
 * kept as strings. Thread-safe.
 *
 * <p>Text form (the run record): {@code m:1-500,502-900;d:1-48;x:other-id,...}.
 */
public final class TransactionIdSet {

    private final String runId;
    private final Pattern form;
    private final BitSet movements = new BitSet();
    private final BitSet deposits = new BitSet();
    private final Set<String> others = new TreeSet<>();

    public TransactionIdSet(String runId) {
        this.runId = runId;
        this.form = Pattern.compile(Pattern.quote(runId) + "-(open-)?([1-9][0-9]{0,9})");
    }

    public synchronized void add(String id) {
        Matcher m = form.matcher(id);
        if (m.matches() && Long.parseLong(m.group(2)) <= Integer.MAX_VALUE) {
            (m.group(1) == null ? movements : deposits).set(Integer.parseInt(m.group(2)));
        } else {
            others.add(id);
        }
    }

    public synchronized boolean contains(String id) {
        Matcher m = form.matcher(id);
        if (m.matches() && Long.parseLong(m.group(2)) <= Integer.MAX_VALUE) {
            return (m.group(1) == null ? movements : deposits).get(Integer.parseInt(m.group(2)));
        }
        return others.contains(id);
    }

    public synchronized long size() {
        return (long) movements.cardinality() + deposits.cardinality() + others.size();
    }

    /** Every id, movements in order, then opening deposits, then the others. */
    public synchronized void forEach(Consumer<String> action) {
        movements.stream().forEach(n -> action.accept(runId + "-" + n));
        deposits.stream().forEach(n -> action.accept(runId + "-open-" + n));
        others.forEach(action);
    }

    /** The text form. */
    public synchronized String encode() {
        return "m:"
                + ranges(movements)
                + ";d:"
                + ranges(deposits)
                + ";x:"
                + String.join(",", others);
    }

    /** Reads the text form back. */
    public static TransactionIdSet decode(String runId, String text) {
        TransactionIdSet set = new TransactionIdSet(runId);
        for (String part : text.split(";", -1)) {
            if (part.length() < 2 || part.charAt(1) != ':') {
                throw new IllegalArgumentException("not a transaction id set: " + text);
            }
            String body = part.substring(2);
            if (body.isEmpty()) {
                continue;
            }
            switch (part.charAt(0)) {
                case 'm' -> readRanges(body, set.movements);
                case 'd' -> readRanges(body, set.deposits);
                case 'x' -> set.others.addAll(java.util.List.of(body.split(",")));
                default -> throw new IllegalArgumentException("not a transaction id set: " + text);
            }
        }
        return set;
    }

    private static String ranges(BitSet bits) {
        StringBuilder s = new StringBuilder();
        int start = bits.nextSetBit(0);
        while (start >= 0) {
            int end = bits.nextClearBit(start) - 1;
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(start);
            if (end > start) {
                s.append('-').append(end);
            }
            start = bits.nextSetBit(end + 1);
        }
        return s.toString();
    }

    private static void readRanges(String body, BitSet bits) {
        for (String range : body.split(",")) {
            int dash = range.indexOf('-');
            if (dash < 0) {
                bits.set(Integer.parseInt(range));
            } else {
                bits.set(
                        Integer.parseInt(range.substring(0, dash)),
                        Integer.parseInt(range.substring(dash + 1)) + 1);
            }
        }
    }
}
