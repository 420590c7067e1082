#!/usr/bin/env bash
# Ingest API benchmark: real Kafka + schema registry (local-servers), the API in its own JVM,
# a Vert.x load client in this one. Prints the figures and writes the "Ingest API" section of
# docs/benchmarks.md. Phases: single transfers closed loop (256 connections), batches of 1,000,
# single transfers at a fixed 5,000 requests/s open loop (latency from each intended send time).
#   ingest-api/bench.sh [SECONDS_PER_PHASE]   (default 20; 1 for a smoke run of ~35 s)
# BENCH_SKIP_BUILD=1 reuses the last build.
# The last line of stdout is "RESULT single_rps=... batch_tps=... single_p99_ms_at_5000=...
# load_before=... load_after=...": closed-loop single POSTs/s, transfers/s in batches, p99 ms of
# single POSTs at 5,000/s offered, and the 1-minute load average before and after the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${1:-20}"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q install -DskipTests -pl local-servers,schemas -am
  ./mvnw -q package -DskipTests -pl ingest-api
fi
classpath="$root/ingest-api/target/test-classes:$root/ingest-api/target/classes:$(cat "$root/ingest-api/target/test.classpath")"
exec java -Xmx768m -XX:+UseParallelGC \
  -Dlog4j.configurationFile=log4j2-test.properties \
  -Dbench.seconds="$seconds" -Dbench.apiHeap=-Xmx1g \
  -Dbench.report="$root/docs/benchmarks.md" -Dbench.notes="$root/ingest-api/bench-notes.md" \
  -cp "$classpath" io.ledgerflow.ingest.bench.IngestBenchmark
