#!/usr/bin/env bash
# Throughput cost of the windowed aggregates (issue 6): the sinks job over the same prepared
# results topic, alternately without and with aggregates (fresh databases each run), against real
# Kafka, registry, PostgreSQL and ClickHouse from local-servers attached to the benchmark JVM.
# Prints decisions/s per run, the median of each mode and the ratio. Not a test.
#   sinks/bench-aggregates.sh [--results 200000] [--runs 3] [--partners 20] [--accounts 20000]
#                             [--parallelism 2] [--state-backend rocksdb|hashmap]
#                             [--flink-conf key=value,key=value]
# The last line of stdout is "RESULT decisions_per_s_without_aggregates=...
# decisions_per_s_with_aggregates=... aggregates_ratio=... load_before=... load_after=...": the
# median decisions/s of each mode, their ratio (with / without, both from this one run), and the
# 1-minute load average before and after. Smoke run (~1 minute): --results 20000 --runs 1.
set -euo pipefail
BENCH_MAIN=io.ledgerflow.sinks.bench.AggregatesCostBenchmark BENCH_HEAP="${BENCH_HEAP:-1g}" \
  exec "$(dirname "$0")/bench.sh" "$@"
