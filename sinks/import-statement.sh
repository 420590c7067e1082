#!/usr/bin/env bash
# Reconciliation (issue 17; sinks/README.md, "Reconciliation"): io.ledgerflow.sinks.reconcile.StatementImportMain
# from the sinks module's shaded jar (plain Java: no Flink cluster is started).
#   sinks/import-statement.sh --help
# Builds the jar on first use (or with LEDGERFLOW_REBUILD=1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/sinks/target/ledgerflow-sinks.jar"
if [ ! -f "$jar" ] || [ -n "${LEDGERFLOW_REBUILD:-}" ]; then
  (cd "$root" && ./mvnw -q install -DskipTests -pl sinks -am)
fi
# The shaded jar is a Flink job jar: it leaves SLF4J and Log4j to Flink's lib/ (alone it stops with
# NoClassDefFoundError: org/slf4j/LoggerFactory). Outside Flink they come from the module's own
# dependencies, listed once (the Kubernetes manifests add /opt/flink/lib/* instead).
logging="$root/sinks/target/logging.classpath"
if [ ! -f "$logging" ] || [ -n "${LEDGERFLOW_REBUILD:-}" ]; then
  (cd "$root" && ./mvnw -q dependency:build-classpath -pl sinks \
    -DincludeGroupIds=org.slf4j,org.apache.logging.log4j -Dmdep.outputFile="$logging")
fi
exec java ${LEDGERFLOW_RECONCILE_HEAP:--Xmx512m} -cp "$jar:$(cat "$logging")" \
  io.ledgerflow.sinks.reconcile.StatementImportMain "$@"
