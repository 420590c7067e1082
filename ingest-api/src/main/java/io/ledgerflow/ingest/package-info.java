/** The ingest HTTP API. Filled by the ingest API issue. */
package io.ledgerflow.ingest;
