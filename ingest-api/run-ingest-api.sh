#!/usr/bin/env bash
# Runs the ingest API against already running servers (e.g. `bin/local-servers up`):
#   LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:PORT \
#   LEDGERFLOW_SCHEMA_REGISTRY_URL=http://127.0.0.1:PORT/apis/ccompat/v7 ingest-api/run-ingest-api.sh
# Without LEDGERFLOW_API_KEYS_FILE it uses the development keys (see README).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -f ingest-api/target/runtime.classpath ] || [ -n "${LEDGERFLOW_REBUILD:-}" ]; then
  ./mvnw -q install -DskipTests -pl schemas -am
  ./mvnw -q package -DskipTests -pl ingest-api
fi
exec java ${LEDGERFLOW_API_HEAP:--Xmx1g} -XX:+UseParallelGC \
  -cp "$root/ingest-api/target/classes:$(cat "$root/ingest-api/target/runtime.classpath")" \
  io.ledgerflow.ingest.IngestApiMain
