package io.ledgerflow.testdata.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Offending items of a finding: how many, and the first few by name. A run of millions keeps only
 * the count and {@link #SHOWN} names, never the whole list.
 */
final class Examples {

    /** How many offending ids or accounts a finding names. */
    static final int SHOWN = 5;

    private final List<String> first = new ArrayList<>();
    private long count;

    void add(String item) {
        count++;
        if (first.size() < SHOWN) {
            first.add(item);
        }
    }

    long count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** {@code 3 [a, b, c]}, {@code 9 [a, b, c, d, e, ...]}, or {@code 0}. */
    @Override
    public String toString() {
        if (count == 0) {
            return "0";
        }
        return count + " [" + String.join(", ", first) + (count > first.size() ? ", ...]" : "]");
    }
}
