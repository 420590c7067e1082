/** Avro schemas of Ledgerflow's topics and the Java classes generated from them. Filled by the schemas issue. */
package io.ledgerflow.schemas;
