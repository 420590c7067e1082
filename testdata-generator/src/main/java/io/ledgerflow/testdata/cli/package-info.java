/** The command line: {@code generate}, {@code load}, {@code check}, {@code keys}. */
package io.ledgerflow.testdata.cli;
