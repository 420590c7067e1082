/**
 * The operational read model in PostgreSQL: the schema every writer and reader shares ({@link
 * io.ledgerflow.readmodel.PostgresMigrations}) and the single-row lookups the ingest API serves
 * ({@link io.ledgerflow.readmodel.ReadModel}). The sinks job writes it; nothing here depends on
 * Flink.
 */
package io.ledgerflow.readmodel;
