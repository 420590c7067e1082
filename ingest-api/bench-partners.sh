#!/usr/bin/env bash
# Partner isolation benchmark (issue 14): real Kafka, schema registry and PostgreSQL (local-servers),
# two ingest API instances in their own JVMs sharing the api_instances heartbeat, default limits
# (100 requests/s and 100 movements/s per partner), a Vert.x load client in this JVM. Phases:
#   (a) another partner's p99 at a fixed 50 requests/s, alone and while a flooding partner sends ten
#       times its limit (1,000 requests/s) to the same instance;
#   (b) one partner at three times its limit spread over both instances: admitted requests/s
#       (after 3 s that spend the bursts) against the limit.
#   ingest-api/bench-partners.sh [SECONDS_PER_PHASE]   (default 20; 2 for a smoke run of ~1 min)
# BENCH_SKIP_BUILD=1 reuses the last build. Builds with `package` only (never `install`).
# The last line of stdout is "RESULT other_p99_ms_alone=... other_p99_ms_flooded=...
# p99_increase_pct=... two_instance_admitted_rps=... limit_rps=... admitted_ratio=...
# load_before=... load_after=..." (1-minute load average from /proc/loadavg before and after).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${1:-20}"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q package -DskipTests -pl ingest-api -am
fi
classpath="$root/ingest-api/target/test-classes:$root/ingest-api/target/classes:$(cat "$root/ingest-api/target/test.classpath")"
exec java -Xmx512m -XX:+UseParallelGC \
  -Dlog4j.configurationFile=log4j2-test.properties \
  -Dbench.seconds="$seconds" -Dbench.apiHeap=-Xmx512m \
  -cp "$classpath" io.ledgerflow.ingest.bench.PartnerIsolationBenchmark
