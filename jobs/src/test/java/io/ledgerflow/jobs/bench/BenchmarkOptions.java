package io.ledgerflow.jobs.bench;

import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's flags, parsed once, with defaults sized so that one invocation stays around ten
 * minutes on a 2-core machine.
 *
 * @param accounts accounts opened (and funded) before any transfer
 * @param transfers transfers per measured drain round
 * @param skews account choice of the rounds, in order: {@code uniform}, {@code zipf}
 * @param zipfExponent exponent s of the Zipf choice (rank k drawn with weight 1/k^s)
 * @param runs how many times each skew is measured
 * @param latencySeconds length of each fixed-rate latency phase (0: none)
 * @param latencyRate transfers/s of the latency phases (below the sustained rate, so latency shows
 *     the pipeline rather than a backlog)
 * @param warmupTransfers uniform transfers drained before the measured rounds (JIT, RocksDB
 *     compactions after setup), not measured
 * @param partitions partitions of every ledger topic
 * @param checkpointMillis checkpoint interval
 * @param flinkConf extra Flink settings for the MiniCluster ({@code key=value}), to try proposals
 * @param fraudRules publish the starter fraud rules ({@code fraud/default-rules.json}) before the
 *     job starts, so every transfer is evaluated against them; without, the fraud screen only keeps
 *     account profiles
 * @param workDir where servers, checkpoints, profiles and the report of this invocation go
 */
record BenchmarkOptions(
        int accounts,
        int transfers,
        List<String> skews,
        double zipfExponent,
        int runs,
        int latencySeconds,
        int latencyRate,
        int warmupTransfers,
        int partitions,
        long checkpointMillis,
        Map<String, String> flinkConf,
        boolean fraudRules,
        Path workDir) {

    static BenchmarkOptions parse(String[] args) {
        int accounts = 1_000_000;
        int transfers = 200_000;
        List<String> skews = List.of("uniform", "zipf");
        double zipfExponent = 1.0;
        int runs = 3;
        int latencySeconds = 15;
        int latencyRate = 2_000;
        int warmupTransfers = 100_000;
        int partitions = 4;
        // As deployed (LedgerJobConfig's default, the FlinkDeployment's interval).
        long checkpointMillis = LedgerJobConfig.DEFAULT_CHECKPOINT_INTERVAL.toMillis();
        boolean fraudRules = false;
        Map<String, String> flinkConf = new LinkedHashMap<>();
        Path workDir = Path.of("jobs/target/bench");
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--fraud-rules")) {
                fraudRules = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--accounts" -> accounts = Integer.parseInt(value);
                case "--transfers" -> transfers = Integer.parseInt(value);
                case "--skew" -> skews = skewList(value);
                case "--zipf-exponent" -> zipfExponent = Double.parseDouble(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(value);
                case "--latency-rate" -> latencyRate = Integer.parseInt(value);
                case "--warmup-transfers" -> warmupTransfers = Integer.parseInt(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--checkpoint-ms" -> checkpointMillis = Long.parseLong(value);
                case "--flink-conf" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--flink-conf wants key=value");
                    }
                    flinkConf.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--work-dir" -> workDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown flag " + name);
            }
        }
        return new BenchmarkOptions(
                accounts,
                transfers,
                skews,
                zipfExponent,
                runs,
                latencySeconds,
                latencyRate,
                warmupTransfers,
                partitions,
                checkpointMillis,
                flinkConf,
                fraudRules,
                workDir);
    }

    private static List<String> skewList(String value) {
        List<String> skews = new ArrayList<>();
        for (String s : value.split(",")) {
            if (s.equals("both")) {
                skews.add("uniform");
                skews.add("zipf");
            } else if (s.equals("uniform") || s.equals("zipf")) {
                skews.add(s);
            } else {
                throw new IllegalArgumentException("--skew is uniform, zipf or both, not " + s);
            }
        }
        return skews;
    }
}
