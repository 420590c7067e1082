#!/usr/bin/env bash
# The distinct-counterparty sketch alone, old against new in one JVM (issue 19): the hand-written
# HyperLogLog the aggregates had and DataSketches' HLL that replaced it, each through the serializer
# it has in Flink state. Times a decision's read-add-write of a small and a dense window (RocksDB
# keeps window state serialized), a day's merge of 24 dense hours, and prints state sizes and the
# error. No servers. Not a test; run it alone on the machine.
#   sinks/bench-distinct-count.sh [--seconds 5] [--small 20] [--dense 20000]
# The last line of stdout is "RESULT old_add_rt_small_ns=... new_add_rt_small_ns=...
# old_add_rt_dense_ns=... new_add_rt_dense_ns=... old_merge24_us=... new_merge24_us=...
# old_bytes_small=... new_bytes_small=... old_bytes_dense=... new_bytes_dense=...
# old_error_dense=... new_error_dense=... load_before=... load_after=...".
# Smoke run (seconds): --seconds 0.2 --dense 2000. BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
BENCH_MAIN=io.ledgerflow.sinks.bench.DistinctCountBenchmark BENCH_HEAP="${BENCH_HEAP:-512m}" \
  exec "$(dirname "$0")/bench.sh" "$@"
