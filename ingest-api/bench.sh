#!/usr/bin/env bash
# Ingest API benchmark: real Kafka + schema registry (local-servers), the API in its own JVM,
# a Vert.x load client in this one. Prints the figures and writes the "Ingest API" section of
# docs/benchmarks.md.
#   ingest-api/bench.sh [SECONDS_PER_PHASE]   (default 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${1:-20}"
./mvnw -q install -DskipTests -pl local-servers,schemas -am
./mvnw -q package -DskipTests -pl ingest-api
classpath="$root/ingest-api/target/test-classes:$root/ingest-api/target/classes:$(cat "$root/ingest-api/target/test.classpath")"
exec java -Xmx768m -XX:+UseParallelGC \
  -Dlog4j.configurationFile=log4j2-test.properties \
  -Dbench.seconds="$seconds" -Dbench.apiHeap=-Xmx1g \
  -Dbench.report="$root/docs/benchmarks.md" -Dbench.notes="$root/ingest-api/bench-notes.md" \
  -cp "$classpath" io.ledgerflow.ingest.bench.IngestBenchmark
