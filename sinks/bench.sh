#!/usr/bin/env bash
# Read model lookup benchmark (issue 5): p50/p99/max latency of PostgresReadModel lookups
# (transaction status and account, half each) at a fixed open-loop rate against a real
# PostgreSQL 17 (local-servers, attached to the benchmark JVM), seeded through the sink's own
# upsert statements. Not a test: nothing here runs in ./mvnw verify.
#   sinks/bench.sh [--rate 1000] [--seconds 30] [--warmup-seconds 5] [--accounts 10000]
#                  [--transactions 100000] [--pool 4] [--workers 8] [--append docs/benchmarks.md]
# Output: the figures on stdout; with --append, a run appended under "Read model lookups (issue 5)".
# The last line is "RESULT read_model_lookup_rate=... read_model_lookup_p50_ms=...
# read_model_lookup_p99_ms=... read_model_lookup_p999_ms=... read_model_lookup_max_ms=...
# load_before=... load_after=...": the offered lookups/s, the latency percentiles of the measured
# window, and the 1-minute load average before and after. Smoke run (seconds): --seconds 1
# --warmup-seconds 1 --rate 100 --accounts 100 --transactions 1000.
# BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q test-compile -pl sinks
  ./mvnw -q dependency:build-classpath -pl sinks -Dmdep.includeScope=test \
    -Dmdep.outputFile="$root/sinks/target/bench.classpath"
fi
classpath="$root/sinks/target/test-classes:$root/sinks/target/classes:$(cat "$root/sinks/target/bench.classpath")"
# BENCH_MAIN / BENCH_HEAP: another benchmark of this module (sinks/bench-aggregates.sh).
heap="${BENCH_HEAP:-512m}"
exec java ${BENCH_JAVA_OPTS:-} -Xms"$heap" -Xmx"$heap" -XX:+UseParallelGC \
  -Dlog4j.configurationFile=log4j2-test.properties \
  -cp "$classpath" "${BENCH_MAIN:-io.ledgerflow.sinks.bench.ReadModelLookupBenchmark}" "$@"
