#!/usr/bin/env bash
# Webhook latency benchmark (issue 15): the whole platform on this machine (as bench.sh) plus the
# notifier (own JVM) and one HTTP receiver behind one webhook endpoint per partner (20 partners x
# 50 accounts, valid transfers only), driven open-loop by the test-data generator; latency from the
# API receiving a transfer (its received_time in the read model) to its webhook arriving.
#   local-platform/bench-webhooks.sh [RATE] [SECONDS]   (defaults 500 30)
# BENCH_WARMUP_SECONDS (default 30) at 100 transfers/s first, not measured. BENCH_SKIP_BUILD=1
# reuses the last build. Last line of stdout: "RESULT rate=... accepted=... webhooks=... p50_ms=...
# p99_ms=... max_ms=... load_before=... load_after=...".
# Smoke run: BENCH_WARMUP_SECONDS=0 local-platform/bench-webhooks.sh 50 5
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q install -DskipTests
fi
exec java -Xmx2g -XX:+UseParallelGC -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -Dbench.warmupSeconds="${BENCH_WARMUP_SECONDS:-30}" \
  -cp "$root/local-platform/target/classes:$(cat "$root/local-platform/target/platform.classpath")" \
  io.ledgerflow.localplatform.WebhookLatencyBenchmark "$@"
