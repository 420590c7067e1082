/**
 * The sinks job: the ledger's committed Kafka outputs into the PostgreSQL read model ({@code
 * postgres}) and the ClickHouse analytics store ({@code clickhouse}). See {@code DISCUSSION.md}
 * next to {@link io.ledgerflow.sinks.SinksJob}.
 */
package io.ledgerflow.sinks;
