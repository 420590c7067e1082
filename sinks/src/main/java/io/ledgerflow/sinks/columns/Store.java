package io.ledgerflow.sinks.columns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How each store takes each {@link ColumnKind}: the one place that knows their conventions.
 *
 * <p>PostgreSQL: absent values are SQL {@code NULL}; times are {@code timestamptz} bound as UTC
 * {@code OffsetDateTime}; named values are {@code jsonb} (keys sorted, so the same figures give the
 * same text). ClickHouse: text columns are never {@code Nullable} and hold {@code ''} when absent
 * (the tables' convention), times are bound as UTC text with milliseconds (the columns are {@code
 * DateTime64(3, 'UTC')}, and text leaves no room for a client-side time-zone conversion), and only
 * the time columns added as {@code Nullable} take {@code NULL}.
 */
public enum Store {
    POSTGRES {
        @Override
        String placeholder(ColumnKind kind) {
            return kind == ColumnKind.NAMED_VALUES ? "CAST(? AS jsonb)" : "?";
        }

        @Override
        void bind(PreparedStatement ps, int index, ColumnKind kind, Object value)
                throws SQLException {
            switch (kind) {
                case TEXT -> {
                    if (value == null) {
                        ps.setNull(index, Types.VARCHAR);
                    } else {
                        ps.setString(index, (String) value);
                    }
                }
                case TIME -> {
                    if (value == null) {
                        ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        ps.setObject(
                                index, OffsetDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
                    }
                }
                case TEXT_ARRAY ->
                        ps.setArray(
                                index,
                                ps.getConnection()
                                        .createArrayOf("text", ((List<?>) value).toArray()));
                case NAMED_VALUES -> ps.setString(index, json((Map<?, ?>) value));
                default -> bindCommon(ps, index, kind, value);
            }
        }
    },

    CLICKHOUSE {
        @Override
        String placeholder(ColumnKind kind) {
            return "?";
        }

        @Override
        void bind(PreparedStatement ps, int index, ColumnKind kind, Object value)
                throws SQLException {
            switch (kind) {
                case TEXT -> ps.setString(index, value == null ? "" : (String) value);
                case TIME -> {
                    if (value == null) {
                        ps.setNull(index, Types.VARCHAR);
                    } else {
                        ps.setString(index, CLICKHOUSE_TIME.format((Instant) value));
                    }
                }
                case TEXT_ARRAY -> ps.setObject(index, ((List<?>) value).toArray(String[]::new));
                // The driver writes a java.util.Map as a Map literal: {'key': value, ...}.
                case NAMED_VALUES -> ps.setObject(index, new TreeMap<>((Map<?, ?>) value));
                default -> bindCommon(ps, index, kind, value);
            }
        }
    };

    private static final DateTimeFormatter CLICKHOUSE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parameter marker for a column of this kind. */
    abstract String placeholder(ColumnKind kind);

    /** Binds one value; {@code value} is what the column's extractor returned. */
    abstract void bind(PreparedStatement ps, int index, ColumnKind kind, Object value)
            throws SQLException;

    /** ClickHouse's text form of a time, as its tables are written (UTC, milliseconds). */
    public static String clickHouseTime(Instant instant) {
        return CLICKHOUSE_TIME.format(instant);
    }

    private static void bindCommon(PreparedStatement ps, int index, ColumnKind kind, Object value)
            throws SQLException {
        switch (kind) {
            case SMALL_INT -> ps.setShort(index, ((Number) value).shortValue());
            case INT -> ps.setInt(index, (Integer) value);
            case BIGINT -> {
                if (value == null) {
                    ps.setNull(index, Types.BIGINT);
                } else {
                    ps.setLong(index, (Long) value);
                }
            }
            case DOUBLE -> ps.setDouble(index, (Double) value);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case BYTES -> ps.setBytes(index, (byte[]) value);
            case EXACT -> {
                if (value instanceof BigDecimal exact) {
                    ps.setBigDecimal(index, exact);
                } else {
                    ps.setLong(index, (Long) value);
                }
            }
            default -> throw new IllegalArgumentException("no common binding for " + kind);
        }
    }

    /** Keys sorted: the same values give the same text. */
    private static String json(Map<?, ?> values) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of names to values always serializes", e);
        }
    }
}
