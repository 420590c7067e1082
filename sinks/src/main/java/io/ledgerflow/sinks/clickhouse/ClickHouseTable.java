package io.ledgerflow.sinks.clickhouse;

import io.ledgerflow.sinks.columns.Columns;
import io.ledgerflow.sinks.columns.Store;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** How records of one type become rows of one ClickHouse table. */
public interface ClickHouseTable<T> extends Serializable {

    /** {@code INSERT INTO t (c1, c2, ...) VALUES (?, ?, ...)}. */
    String insertSql();

    /** Binds one record to the insert's parameters. */
    void bind(PreparedStatement ps, T record) throws SQLException;

    /** A table whose rows are these columns of the records, bound the ClickHouse way. */
    static <T> ClickHouseTable<T> of(String table, Columns<T> columns) {
        String sql = columns.insertInto(table, Store.CLICKHOUSE);
        return new ClickHouseTable<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public String insertSql() {
                return sql;
            }

            @Override
            public void bind(PreparedStatement ps, T record) throws SQLException {
                columns.bind(ps, record, Store.CLICKHOUSE);
            }
        };
    }
}
