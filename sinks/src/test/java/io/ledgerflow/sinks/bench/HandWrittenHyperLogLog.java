package io.ledgerflow.sinks.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The hand-written HyperLogLog that {@code aggregates.DistinctCount} replaced in issue 19, as it
 * was (git history has the original): only the baseline of {@link DistinctCountBenchmark}, never
 * used by the job. Precision 12, exact sorted hashes up to 128 members, a plain Flink POJO.
 *
 * <p>The original's comment: A mergeable approximate distinct count: HyperLogLog (Flajolet et al.,
 * 2007) over a 64-bit hash, precision 12 (4096 one-byte registers, standard error 1.04/sqrt(4096) =
 * 1.6%), with the small- range linear counting correction, and an exact "sparse" phase in front: up
 * to {@link #EXACT_LIMIT} distinct hashes are kept as a sorted array, so small sets (most
 * per-account and per-minute windows) count exactly and cost 8 bytes per member rather than 4 KiB.
 * Beyond that the hashes are folded into the registers for good.
 *
 * <p>Merging is what makes the window cascade work: the sketch of an hour is the register-wise
 * maximum (or the set union) of its quarter-hours' sketches, equal to the sketch of all their
 * members. A plain Flink POJO (public fields) so that window state serializes without Kryo.
 */
public class HandWrittenHyperLogLog {

    /** log2 of the register count. */
    static final int PRECISION = 12;

    static final int REGISTERS = 1 << PRECISION;

    /** Distinct hashes kept exactly before switching to registers (8 bytes each: 1 KiB). */
    static final int EXACT_LIMIT = 128;

    /** Sorted distinct hashes while exact; null once the registers took over. */
    public long[] exact;

    /** The HyperLogLog registers; null while exact. */
    public byte[] registers;

    public HandWrittenHyperLogLog() {
        exact = new long[0];
    }

    /** Adds one member (an account id). */
    public void add(String member) {
        addHash(hash(member));
    }

    void addHash(long hash) {
        if (registers != null) {
            fold(registers, hash);
            return;
        }
        int at = Arrays.binarySearch(exact, hash);
        if (at >= 0) {
            return;
        }
        int insert = -at - 1;
        long[] grown = new long[exact.length + 1];
        System.arraycopy(exact, 0, grown, 0, insert);
        grown[insert] = hash;
        System.arraycopy(exact, insert, grown, insert + 1, exact.length - insert);
        exact = grown;
        if (exact.length > EXACT_LIMIT) {
            toRegisters();
        }
    }

    /** Adds every member of {@code other} to this sketch; {@code other} is not changed. */
    public void merge(HandWrittenHyperLogLog other) {
        if (other.registers == null) {
            for (long h : other.exact) {
                addHash(h);
            }
            return;
        }
        if (registers == null) {
            toRegisters();
        }
        for (int i = 0; i < REGISTERS; i++) {
            registers[i] = (byte) Math.max(registers[i], other.registers[i]);
        }
    }

    /** The estimated number of distinct members: exact while sparse. */
    public long estimate() {
        if (registers == null) {
            return exact.length;
        }
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double m = REGISTERS;
        double alpha = 0.7213 / (1 + 1.079 / m);
        double raw = alpha * m * m / sum;
        if (raw <= 2.5 * m && zeros > 0) {
            // Linear counting: far more accurate than the raw estimate for small cardinalities.
            return Math.round(m * Math.log(m / zeros));
        }
        return Math.round(raw);
    }

    /** A deep copy: window results must not share arrays with window state. */
    public HandWrittenHyperLogLog copy() {
        HandWrittenHyperLogLog c = new HandWrittenHyperLogLog();
        c.exact = exact == null ? null : exact.clone();
        c.registers = registers == null ? null : registers.clone();
        return c;
    }

    private void toRegisters() {
        registers = new byte[REGISTERS];
        for (long h : exact) {
            fold(registers, h);
        }
        exact = null;
    }

    private static void fold(byte[] registers, long hash) {
        int index = (int) (hash >>> (64 - PRECISION));
        // Rank of the first 1-bit in the remaining 52 bits (the sentinel bit caps it at 53).
        long rest = (hash << PRECISION) | (1L << (PRECISION - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
        if (rank > registers[index]) {
            registers[index] = rank;
        }
    }

    /** FNV-1a over the UTF-8 bytes, then the MurmurHash3 finalizer for a full avalanche. */
    static long hash(String member) {
        long h = 0xcbf29ce484222325L;
        for (byte b : member.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
