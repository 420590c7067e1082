#!/usr/bin/env bash
# Read model lookups through the ingest API: real Kafka, schema registry and PostgreSQL
# (local-servers), the API in its own JVM, a Vert.x open-loop client in this one. Prints the figures
# and writes the "Read model lookups through the API" section of docs/benchmarks.md.
#   ingest-api/bench-history.sh [RATE] [SECONDS_PER_RUN] [RUNS]   (defaults 1000 20 3)
# A 10 s warm-up at RATE precedes the runs. Smoke run (~40 s): ingest-api/bench-history.sh 100 1 1.
# BENCH_SKIP_BUILD=1 reuses the last build.
# The last line of stdout is "RESULT api_lookup_rate=... api_lookup_p50_ms=...
# api_lookup_p99_ms=... api_lookup_p999_ms=... api_lookup_failed=... load_before=...
# load_after=...": the offered lookups/s, the medians over the runs of the latency percentiles, the
# failed lookups of all runs, and the 1-minute load average before and after the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rate="${1:-1000}"
seconds="${2:-20}"
runs="${3:-3}"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q install -DskipTests -pl local-servers,schemas,read-model -am
  ./mvnw -q package -DskipTests -pl ingest-api
fi
classpath="$root/ingest-api/target/test-classes:$root/ingest-api/target/classes:$(cat "$root/ingest-api/target/test.classpath")"
exec java -Xmx512m -XX:+UseParallelGC \
  -Dlog4j.configurationFile=log4j2-test.properties \
  -Dbench.rate="$rate" -Dbench.seconds="$seconds" -Dbench.runs="$runs" \
  -Dbench.report="$root/docs/benchmarks.md" \
  -cp "$classpath" io.ledgerflow.ingest.bench.ApiHistoryBenchmark
