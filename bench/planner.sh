#!/usr/bin/env bash
# Consolidation planner benchmark (from the repository root: bench/planner.sh [HOSTS] [SERVERS] [SEEDS] [small]):
# generated fleets (default 1,000 hosts, 20,000 servers, 5 seeds), the planner against first-fit-decreasing in the
# same run; see bench/java/io/corral/panel/consolidation/PlannerBenchmark.java. Needs a JDK and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
# compiled each time (incremental): classes left from another checkout would measure another planner
mvn -q -B -ntp compile
java -cp target/classes bench/java/io/corral/panel/consolidation/PlannerBenchmark.java "${1:-1000}" "${2:-20000}" "${3:-5}" ${4:+"$4"}
