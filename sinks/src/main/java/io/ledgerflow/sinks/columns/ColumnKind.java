package io.ledgerflow.sinks.columns;

/**
 * What a column holds, which decides how each store binds it ({@link Store}). The value a column's
 * extractor returns for each kind is given below; {@code null} means absent.
 */
public enum ColumnKind {
    /** A {@code String}. */
    TEXT,
    /**
     * A {@code String} whose absence ClickHouse stores as {@code NULL} ({@code Nullable(String)}),
     * where it tells "none given" apart from any value: a partner's external reference. Bound as
     * {@link #TEXT} in PostgreSQL.
     */
    NULLABLE_TEXT,
    /** A small {@code Number} (a rank, a format): {@code smallint} in PostgreSQL. */
    SMALL_INT,
    /** An {@code Integer}. */
    INT,
    /** A {@code Long}. */
    BIGINT,
    /** A {@code Double}. */
    DOUBLE,
    /** A {@code Boolean}. */
    BOOLEAN,
    /** An {@code Instant}. */
    TIME,
    /**
     * An exact amount: a {@code Long}, or a {@code BigDecimal} where it does not fit one (system
     * balances, 128-bit sums), for {@code numeric(38,0)} and {@code Decimal(38,0)} columns.
     */
    EXACT,
    /** A {@code List<String>}. */
    TEXT_ARRAY,
    /** A {@code Map<String, ?>}: {@code jsonb} in PostgreSQL, a {@code Map} in ClickHouse. */
    NAMED_VALUES,
    /** A {@code byte[]}. */
    BYTES
}
