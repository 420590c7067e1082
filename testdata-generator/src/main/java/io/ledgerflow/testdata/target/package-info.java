/**
 * Where generated requests go: the ingest API over HTTP ({@link
 * io.ledgerflow.testdata.target.HttpTarget}), Kafka directly as Avro through the schema registry
 * ({@link io.ledgerflow.testdata.target.KafkaTarget}), or JSON-lines files ({@link
 * io.ledgerflow.testdata.target.JsonLinesTarget}).
 */
package io.ledgerflow.testdata.target;
