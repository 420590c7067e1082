package io.ledgerflow.readmodel.history;

import java.util.List;

/**
 * One page of a keyset-paginated list.
 *
 * @param items at most the page size, in the list's order
 * @param more whether rows follow the last item (the query read one row beyond the page to know)
 */
public record Page<T>(List<T> items, boolean more) {

    public Page {
        items = List.copyOf(items);
    }

    /** The last item, from which the next page's cursor is made; only when {@link #more}. */
    public T last() {
        return items.get(items.size() - 1);
    }
}
