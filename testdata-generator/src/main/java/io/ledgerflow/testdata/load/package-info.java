/**
 * Load: an open-loop runner at a fixed rate whose latencies are measured from each request's
 * intended start (corrected for coordinated omission), or a closed-loop runner at maximum
 * throughput; live progress lines and HdrHistogram reports.
 */
package io.ledgerflow.testdata.load;
