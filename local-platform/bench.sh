#!/usr/bin/env bash
# Platform latency benchmark: the whole platform on this machine (real servers, ledger and sinks
# jobs on MiniClusters: the ledger checkpointing every 200 ms under the changelog state backend, the
# sinks every 1 s; the ingest API), driven by the test-data generator at
# fixed rates; latency from API accept to terminal status in PostgreSQL. Prints the figures and
# writes the "Platform latency" section of docs/benchmarks.md.
#   local-platform/bench.sh [RATES] [SECONDS_PER_RATE]   (defaults 500,750,1000,2000,5000 30)
# Rates run in the given order on one platform. BENCH_SKIP_BUILD=1 reuses the last build.
# The last line of stdout is "RESULT sustained_tps=... p50_ms_at_500=... p99_ms_at_500=...
# load_before=... load_after=...": the highest offered transfers/s that was sustained (API accepted
# >= 95% of it with its p99 < 1 s, all accepted transfers reached PostgreSQL at >= 90% of it; 0 if
# no rate was; the resolution is the RATES list), the accept -> terminal status in PostgreSQL
# p50/p99 in ms at 500/s offered (absent unless RATES holds 500 and some of its transfers reached
# PostgreSQL), and the 1-minute load average before the platform started and after it stopped.
# Before the first rate, a warm-up of BENCH_WARMUP_SECONDS (default 60) at 100 transfers/s, not
# measured: every JVM starts cold, and the JIT compilers would otherwise take a quarter to a half of
# a core during the measured rates.
# Smoke run (~1.5 minutes, mostly start-up and opening accounts):
#   BENCH_WARMUP_SECONDS=0 local-platform/bench.sh 500 2.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q install -DskipTests
fi
# On a machine with two cores the common fork-join pool has one thread, and then every
# CompletableFuture completed "async" without an executor gets a new thread of its own: the JDK's
# HttpClient completes each response that way, so the generator started one thread per request
# (a fifth of this JVM's CPU at 100 requests/s). Two threads make it use the pool.
exec java -Xmx3g -XX:+UseParallelGC -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -Dbench.report="$root/docs/benchmarks.md" \
  -Dbench.warmupSeconds="${BENCH_WARMUP_SECONDS:-60}" \
  -cp "$root/local-platform/target/classes:$(cat "$root/local-platform/target/platform.classpath")" \
  io.ledgerflow.localplatform.PlatformLatencyBenchmark "$@"
