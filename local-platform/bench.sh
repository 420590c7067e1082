#!/usr/bin/env bash
# Platform latency benchmark: the whole platform on this machine (real servers, ledger and sinks
# jobs on MiniClusters with 1 s checkpoints, the ingest API), driven by the test-data generator at
# fixed rates; latency from API accept to terminal status in PostgreSQL. Prints the figures and
# writes the "Platform latency" section of docs/benchmarks.md.
#   local-platform/bench.sh [RATES] [SECONDS_PER_RATE]   (defaults 1000,5000 30)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -q install -DskipTests
exec java -Xmx3g -XX:+UseParallelGC \
  -Dbench.report="$root/docs/benchmarks.md" \
  -cp "$root/local-platform/target/classes:$(cat "$root/local-platform/target/platform.classpath")" \
  io.ledgerflow.localplatform.PlatformLatencyBenchmark "$@"
