#!/usr/bin/env bash
# What recording metrics costs the API, old against new in one JVM (issue 19): the hand-written
# counters and histograms the API had and Micrometer's Prometheus registry that replaced them.
# Threads record what one accepted POST records (request counter and histogram, produce histogram,
# accepted counter) over a mix of routes and statuses, then scrapes are timed. No servers. Not a
# test; run it alone on the machine.
#   ingest-api/bench-metrics.sh [SECONDS] [THREADS]   (defaults 5 and 2)
# The last line of stdout is "RESULT old_record_ns=... new_record_ns=... old_scrape_us=...
# new_scrape_us=... load_before=... load_after=...".
# BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q test-compile -pl ingest-api -am
  ./mvnw -q dependency:build-classpath -pl ingest-api -Dmdep.includeScope=test \
    -Dmdep.outputFile="$root/ingest-api/target/bench-metrics.classpath"
fi
classpath="$root/ingest-api/target/test-classes:$root/ingest-api/target/classes:$(cat "$root/ingest-api/target/bench-metrics.classpath")"
exec java -Xms512m -Xmx512m -XX:+UseParallelGC \
  -cp "$classpath" io.ledgerflow.ingest.bench.MetricsRecordingBenchmark "$@"
