/**
 * The test-data generator: synthetic, seed-reproducible partners, accounts and money movements
 * ({@code population}), sent to the ingest API, Kafka or JSON-lines files ({@code target}) at a
 * fixed or maximal rate ({@code load}), then verified end to end from the stores ({@code check}).
 * {@code cli} is the thin command line over the same library that local-platform calls in-process.
 */
package io.ledgerflow.testdata;
