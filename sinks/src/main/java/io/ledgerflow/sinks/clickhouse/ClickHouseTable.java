package io.ledgerflow.sinks.clickhouse;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** How records of one type become rows of one ClickHouse table. */
public interface ClickHouseTable<T> extends Serializable {

    /** {@code INSERT INTO t (c1, c2, ...) VALUES (?, ?, ...)}. */
    String insertSql();

    /** Binds one record to the insert's parameters. */
    void bind(PreparedStatement ps, T record) throws SQLException;
}
