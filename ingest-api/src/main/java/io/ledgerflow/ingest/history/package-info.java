/**
 * The history routes of the API ({@link io.ledgerflow.ingest.history.HistoryEndpoints}): their
 * query parameters, signed keyset cursors ({@link io.ledgerflow.ingest.history.HistoryCursors}),
 * the statement's CSV, and the threads the queries run on. Design and trade-offs: DISCUSSION.md
 * next to these classes.
 */
package io.ledgerflow.ingest.history;
