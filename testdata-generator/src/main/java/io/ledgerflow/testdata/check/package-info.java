/**
 * Check mode: after a run, verify from PostgreSQL and ClickHouse that every accepted transaction
 * reached a terminal status, money is conserved and counts match what was sent ({@link
 * io.ledgerflow.testdata.check.Checker}), against the run's {@link
 * io.ledgerflow.testdata.check.RunRecord}.
 */
package io.ledgerflow.testdata.check;
