#!/usr/bin/env bash
# Reconciliation (issue 17; sinks/README.md, "Reconciliation"): io.ledgerflow.sinks.reconcile.ReconcileMain
# from the sinks module's shaded jar (plain Java: no Flink cluster is started).
#   sinks/reconcile.sh --help
# Builds the jar on first use (or with LEDGERFLOW_REBUILD=1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/sinks/target/ledgerflow-sinks.jar"
if [ ! -f "$jar" ] || [ -n "${LEDGERFLOW_REBUILD:-}" ]; then
  (cd "$root" && ./mvnw -q install -DskipTests -pl sinks -am)
fi
exec java ${LEDGERFLOW_RECONCILE_HEAP:--Xmx512m} -cp "$jar" io.ledgerflow.sinks.reconcile.ReconcileMain "$@"
