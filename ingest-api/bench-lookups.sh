#!/usr/bin/env bash
# Read model lookups through the ingest API: real Kafka, schema registry and PostgreSQL
# (local-servers), the API in its own JVM, a Vert.x open-loop client in this one. Prints the figures
# and writes the "Read model lookups through the API" section of docs/benchmarks.md.
#   ingest-api/bench-lookups.sh [RATE] [SECONDS_PER_RUN] [RUNS]   (defaults 1000 20 3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rate="${1:-1000}"
seconds="${2:-20}"
runs="${3:-3}"
./mvnw -q install -DskipTests -pl local-servers,schemas,read-model -am
./mvnw -q package -DskipTests -pl ingest-api
classpath="$root/ingest-api/target/test-classes:$root/ingest-api/target/classes:$(cat "$root/ingest-api/target/test.classpath")"
exec java -Xmx512m -XX:+UseParallelGC \
  -Dlog4j.configurationFile=log4j2-test.properties \
  -Dbench.rate="$rate" -Dbench.seconds="$seconds" -Dbench.runs="$runs" \
  -Dbench.report="$root/docs/benchmarks.md" \
  -cp "$classpath" io.ledgerflow.ingest.bench.ApiLookupBenchmark
