/**
 * The ingest HTTP API: partners submit money movements and account commands, which are
 * authenticated, validated and written to Kafka ({@code ledger.requests}) for the ledger job. Start
 * at {@link io.ledgerflow.ingest.IngestApiServer}; the module README explains the choices.
 */
package io.ledgerflow.ingest;
