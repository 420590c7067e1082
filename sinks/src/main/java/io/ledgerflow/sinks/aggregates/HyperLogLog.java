package io.ledgerflow.sinks.aggregates;

/**
 * The distinct-counterparty sketch of state written before issue 19, as data only: what the
 * hand-written HyperLogLog kept, so that Flink's POJO serializer can still read such state
 * (checkpoints and savepoints of the previous version name this class and these fields). New state
 * never holds one: {@link WindowFigures} folds a restored one into its {@link DistinctCount} at
 * first use and drops it (DISCUSSION.md, "Distinct counts"). Remove it, and the field that holds
 * it, once no savepoint from before issue 19 is kept (runbook, "Compatibility policy").
 */
public class HyperLogLog {

    /** Sorted distinct member hashes ({@link DistinctCount#memberHash}) while the set was small. */
    public long[] exact;

    /** The 4096 registers once the set had more than 128 members; null while {@link #exact}. */
    public byte[] registers;

    public HyperLogLog() {}
}
