/** Synthetic partners, accounts and movements. Filled by the test-data generator issue. */
package io.ledgerflow.testdata;
