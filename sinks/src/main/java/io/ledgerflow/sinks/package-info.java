/** PostgreSQL read model and ClickHouse analytics sinks. Filled by the sinks issue. */
package io.ledgerflow.sinks;
