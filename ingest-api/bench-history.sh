#!/usr/bin/env bash
# Partners' history and statements through the ingest API (issue 16): real Kafka, schema registry
# and PostgreSQL (local-servers) with 10,000,000 ledger entries and 1,000,000 transactions seeded
# over the last twelve months, the API in its own JVM, a Vert.x open-loop client in this one: half
# statements of one account for one month, half history pages of 100. Prints the figures and writes
# the "Partner history and statements through the API" section of docs/benchmarks.md.
#   ingest-api/bench-history.sh [RATE] [SECONDS_PER_RUN] [RUNS]   (defaults 1000 20 3)
# Seeding takes about 3 minutes; the runs wait for a 1-minute load average of 1.0, then a 90 s
# warm-up (-Dbench.warmup) reads the tables into memory. BENCH_SKIP_BUILD=1 reuses the last build.
# The last line of stdout is "RESULT history_rate=... history_p50_ms=... history_p99_ms=...
# history_failed=... entries=... transactions=... load_before=... load_after=...": the offered
# requests/s, the medians over the runs, the failed requests of all runs, the seeded sizes and the
# 1-minute load average before and after.
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
