#!/usr/bin/env bash
# The test-data generator's command line (see testdata-generator/README.md):
#   testdata-generator/generate.sh generate --out movements.jsonl --count 100000
#   testdata-generator/generate.sh load --target http --api-url http://127.0.0.1:8080 --rate 200
#   testdata-generator/generate.sh check --postgres-url ... --clickhouse-url ...
# Builds the runnable jar on first use (or with LEDGERFLOW_REBUILD=1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/testdata-generator/target/ledgerflow-testdata-generator.jar"
if [ ! -f "$jar" ] || [ -n "${LEDGERFLOW_REBUILD:-}" ]; then
  (cd "$root" && ./mvnw -q install -DskipTests -pl schemas -am && ./mvnw -q package -DskipTests -pl testdata-generator)
fi
# On a machine with two cores the common fork-join pool has one thread, and then every
# CompletableFuture completed "async" without an executor gets a new thread of its own: the JDK's
# HttpClient completes each response that way, so the generator started one thread per request
# (a fifth of this JVM's CPU at 100 requests/s). Two threads make it use the pool.
exec java ${LEDGERFLOW_GENERATOR_HEAP:--Xmx512m} -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -jar "$jar" "$@"
