/**
 * The history queries over the read model (layout of migration V9): a partner's transactions with
 * filters, an account's entries, its balance at a time and its statements ({@link
 * io.ledgerflow.readmodel.history.PostgresHistory}), keyset-paginated on indexes that serve both
 * the filter and the order, on connections of their own ({@link
 * io.ledgerflow.readmodel.ReadModelConnections}). Plain JDBC, no Flink.
 */
package io.ledgerflow.readmodel.history;
