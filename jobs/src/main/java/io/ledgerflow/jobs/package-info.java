/** Flink jobs of Ledgerflow: the ledger, windowed aggregates and fraud detection. Filled by the ledger job issue. */
package io.ledgerflow.jobs;
