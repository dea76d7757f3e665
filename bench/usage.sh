#!/usr/bin/env bash
# The panel's benchmarks (bench/java), each printing a table for bench/RESULTS.md:
#   ExportBenchmark  1,000,000 ledger rows as CSV through the API against PostgreSQL's COPY, heap kept
#   IngestBenchmark  an hour of 500 servers' samples at 10 s: panel and PostgreSQL CPU per round
# Usage: bench/usage.sh [ExportBenchmark|IngestBenchmark] (default both). Needs what ./test.sh needs
# (run it once first: it installs Chromium, Java 21+ for Keycloak and the rest).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-ExportBenchmark,IngestBenchmark}"
mvn -B -q -Pbench test -Dtest="$which" -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -v '^\s*$' \
  | sed -n '/^## /,/^| [^|]*goal\|^| PostgreSQL CPU/p'
