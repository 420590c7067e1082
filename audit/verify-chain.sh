#!/usr/bin/env bash
# Verifies ledger entries' hash chains and prints the first break of each broken account.
#   audit/verify-chain.sh --partner dev-partner                       (the local read model)
#   audit/verify-chain.sh --account acc-1 --source kafka --bootstrap-servers 127.0.0.1:9092
#   audit/verify-chain.sh --help
# Exit status: 0 every chain holds, 1 a chain is broken, 2 usage or connection error.
# Builds the runnable jar on first use (or with LEDGERFLOW_REBUILD=1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/audit/target/ledgerflow-audit.jar"
if [ ! -f "$jar" ] || [ -n "${LEDGERFLOW_REBUILD:-}" ]; then
  (cd "$root" && ./mvnw -q install -DskipTests -pl schemas -am && ./mvnw -q package -DskipTests -pl audit)
fi
exec java ${LEDGERFLOW_AUDIT_HEAP:--Xmx512m} -jar "$jar" "$@"
