package io.ledgerflow.sinks.kafka;

/**
 * A record of one of the ledger's output topics, still as bytes, with where it was read: decoding
 * happens in the next operator so that an undecodable record becomes a dead letter with its origin
 * instead of failing the source. A Flink POJO.
 */
public class RawLedgerRecord {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;

    public RawLedgerRecord() {}
}
