#!/usr/bin/env bash
# Ledger job benchmark (issue 4): sustained transfers/s through the job on a local MiniCluster
# (parallelism 2, RocksDB under the changelog state backend, checkpoints every 200 ms as deployed,
# exactly-once Kafka sink) against
# the real Kafka broker and schema registry, with checkpoint durations, latency from ingestion to
# the committed result, and a JFR profile. Not a test: nothing here runs in ./mvnw verify.
#   jobs/bench.sh [--accounts 1000000] [--transfers 200000] [--skew uniform|zipf|both]
#                 [--runs 3] [--warmup-transfers 100000] [--latency-seconds 15]
#                 [--latency-rate 2000] [--zipf-exponent 1.0] [--checkpoint-ms 200]
#                 [--partitions 4] [--fraud-rules] [--flink-conf key=value ...]
# --fraud-rules publishes the starter fraud rules first (fraud evaluation cost: compare with and without).
# Defaults take ~15 minutes on 2 shared cores, most of it loading the 1M accounts (2M requests
# through the job). Methods and figures: docs/benchmarks.md, "Ledger job (issue 4)".
# BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS adds JVM flags.
# Output: the figures on stdout and jobs/target/bench/run-*/report.md (+ the .jfr recordings);
# the last line is "RESULT ledger_uniform_tps=... ledger_zipf_tps=... load_before=... load_after=..."
# (medians over the runs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q install -DskipTests -pl jobs -am
  ./mvnw -q test-compile -pl jobs
  ./mvnw -q dependency:build-classpath -pl jobs -Dmdep.includeScope=test \
    -Dmdep.outputFile="$root/jobs/target/bench.classpath"
fi
classpath="$root/jobs/target/test-classes:$root/jobs/target/classes:$(cat "$root/jobs/target/bench.classpath")"
# The job, the load producer and the results reader share this JVM; RocksDB lives off-heap
# (1 GiB managed memory). DebugNonSafepoints makes the JFR profile attribute samples precisely.
exec java ${BENCH_JAVA_OPTS:-} -Xms3g -Xmx3g -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:FlightRecorderOptions:stackdepth=256 \
  -Dlog4j.configurationFile=log4j2-test.properties \
  -cp "$classpath" io.ledgerflow.jobs.bench.LedgerThroughputBenchmark "$@"
