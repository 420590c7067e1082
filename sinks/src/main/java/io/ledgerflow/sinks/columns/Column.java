package io.ledgerflow.sinks.columns;

import java.io.Serializable;

/**
 * One column of a record type: its name in the stores, what it holds, and how its value is read
 * from a record.
 *
 * @param name the column's name (the same in both stores unless a table renames it)
 * @param kind what the column holds
 * @param value reads the column's value from a record
 * @param <T> the record type
 */
public record Column<T>(String name, ColumnKind kind, Value<T> value) implements Serializable {

    /**
     * Reads a column's value from a record. Serializable: column lists travel with the sinks.
     *
     * @param <T> the record type
     */
    @FunctionalInterface
    public interface Value<T> extends Serializable {
        Object of(T record);
    }

    /** The same column under another name (a table that names it differently). */
    Column<T> renamed(String newName) {
        return new Column<>(newName, kind, value);
    }
}
