package io.ledgerflow.sinks.columns;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The columns of one record type, in order: the one list both stores' writers use, so that a field
 * added to a record is mapped once. A table takes the list or a part of it ({@link #only}), in the
 * order it names, and each store binds the values its own way ({@link Store}).
 *
 * @param <T> the record type
 */
public final class Columns<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<Column<T>> columns;

    private Columns(List<Column<T>> columns) {
        this.columns = List.copyOf(columns);
    }

    @SafeVarargs
    public static <T> Columns<T> of(Column<T>... columns) {
        Columns<T> list = new Columns<>(Arrays.asList(columns));
        list.byName(); // fails on a repeated name
        return list;
    }

    public static <T> Column<T> column(String name, ColumnKind kind, Column.Value<T> value) {
        return new Column<>(name, kind, value);
    }

    /** These columns only, in this order; a name that is not a column fails at once. */
    public Columns<T> only(String... names) {
        Map<String, Column<T>> byName = byName();
        List<Column<T>> chosen = new ArrayList<>(names.length);
        for (String name : names) {
            Column<T> c = byName.get(name);
            if (c == null) {
                throw new IllegalArgumentException(
                        "no column " + name + " among " + byName.keySet());
            }
            chosen.add(c);
        }
        return new Columns<>(chosen);
    }

    /** These columns, then {@code more}: a table with columns of its own beside the shared ones. */
    @SafeVarargs
    public final Columns<T> plus(Column<T>... more) {
        List<Column<T>> all = new ArrayList<>(columns);
        all.addAll(Arrays.asList(more));
        Columns<T> list = new Columns<>(all);
        list.byName(); // fails on a repeated name
        return list;
    }

    /** Every column but these. */
    public Columns<T> without(String... names) {
        List<String> dropped = List.of(names);
        Map<String, Column<T>> byName = byName();
        for (String name : dropped) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException(
                        "no column " + name + " among " + byName.keySet());
            }
        }
        return new Columns<>(columns.stream().filter(c -> !dropped.contains(c.name())).toList());
    }

    /** The same columns, one of them under another name (a table that names it differently). */
    public Columns<T> renamed(String name, String newName) {
        if (!byName().containsKey(name)) {
            throw new IllegalArgumentException("no column " + name + " among " + byName().keySet());
        }
        return new Columns<>(
                columns.stream().map(c -> c.name().equals(name) ? c.renamed(newName) : c).toList());
    }

    /** {@code a, b, c}: for an insert's column list. */
    public String names() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /** {@code a = EXCLUDED.a, b = EXCLUDED.b}: an upsert that takes every one of these columns. */
    public String fromExcluded() {
        return columns.stream()
                .map(c -> c.name() + " = EXCLUDED." + c.name())
                .collect(Collectors.joining(", "));
    }

    /** {@code ?, ?, CAST(? AS jsonb)}: the parameter markers, in column order. */
    public String placeholders(Store store) {
        return columns.stream()
                .map(c -> store.placeholder(c.kind()))
                .collect(Collectors.joining(", "));
    }

    /** {@code INSERT INTO table (a, b) VALUES (?, ?)}, for the statements that need no more. */
    public String insertInto(String table, Store store) {
        return "INSERT INTO " + table + " (" + names() + ") VALUES (" + placeholders(store) + ")";
    }

    /** Binds a record's values to parameters {@code 1..n}, in column order. */
    public void bind(PreparedStatement ps, T record, Store store) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            Column<T> c = columns.get(i);
            store.bind(ps, i + 1, c.kind(), c.value().of(record));
        }
    }

    public int size() {
        return columns.size();
    }

    private Map<String, Column<T>> byName() {
        Map<String, Column<T>> byName = new LinkedHashMap<>();
        for (Column<T> c : columns) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("column " + c.name() + " named twice");
            }
        }
        return byName;
    }
}
