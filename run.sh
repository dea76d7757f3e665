#!/usr/bin/env bash
# Brings up Corral on this machine: the panel with its embedded PostgreSQL and, as root, one local
# host agent registered with it. Prints where to sign in. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts/prerequisites.sh
install_prerequisites

data="$(realpath -m "${CORRAL_DATA_DIR:-data}")"
port="${CORRAL_PORT:-8080}"
agent_port="${CORRAL_AGENT_PORT:-8750}"
mkdir -p "$data" && chmod 700 "$data"

stale() { # jar, sources...: true when the jar is missing or older than a source
  local jar="$1"; shift
  [ ! -f "$jar" ] || [ -n "$(find "$@" -newer "$jar" -print -quit 2>/dev/null)" ]
}
if stale host-agent/target/corral-agent.jar host-agent/src/main host-agent/pom.xml; then
  echo "Building the host agent ..."; (cd host-agent && mvn -B -q -ntp package -DskipTests)
fi
if stale target/quarkus-app/quarkus-run.jar src/main migrations ui-templates pom.xml; then
  echo "Building the panel ..."; mvn -B -q -ntp package -DskipTests
fi

# Credentials are made once and kept in the data directory (mode 600); one missing from an older
# file is added.
credentials="$data/credentials"
(umask 077 && touch "$credentials")
. "$credentials"
for entry in ADMIN_PASSWORD:12 DEMO_PASSWORD:12 AGENT_SECRET:24 SESSION_KEY:32; do
  name="${entry%%:*}"
  if [ -z "${!name:-}" ]; then
    printf '%s=%s\n' "$name" "$(head -c "${entry##*:}" /dev/urandom | base64 | tr -d '/+=\n')" >> "$credentials"
  fi
done
. "$credentials"

pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap 'echo; echo "Stopping ..."; stop_all; exit 0' INT TERM
trap stop_all EXIT

if [ "$(id -u)" -eq 0 ]; then
  CORRAL_AGENT_SECRET="$AGENT_SECRET" host-agent/corral-agent --state-dir "$data/agent" serve --port "$agent_port" \
    >"$data/agent.log" 2>&1 &
  pids+=($!)
else
  echo "Not root: no local host agent can run here (it needs namespaces, cgroups and loop devices)."
  echo "Starting the panel alone; register hosts running an agent elsewhere."
fi

CORRAL_DATA_DIR="$data" CORRAL_PORT="$port" CORRAL_SESSION_KEY="$SESSION_KEY" java \
  -Dquarkus.security.users.embedded.users.admin="$ADMIN_PASSWORD" \
  -Dquarkus.security.users.embedded.roles.admin=admin \
  -Dquarkus.security.users.embedded.users.demo="$DEMO_PASSWORD" \
  -Dquarkus.security.users.embedded.roles.demo=customer,tenant:demo \
  -jar target/quarkus-app/quarkus-run.jar >"$data/panel.log" 2>&1 &
pids+=($!)

api() { curl -sf -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json' "$@"; }
echo -n "Starting the panel "
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "${pids[-1]}" 2>/dev/null || { echo; echo "The panel stopped; see $data/panel.log" >&2; tail -20 "$data/panel.log" >&2; exit 1; }
  echo -n "."; sleep 1
done
echo

# First run: a starter plan, a demo tenant, and this machine as a host.
if [ "$(api "http://127.0.0.1:$port/api/v1/plans" | jq .total)" = "0" ]; then
  plan=$(api -X POST "http://127.0.0.1:$port/api/v1/plans" -d '{"name":"starter","maxServers":5,"maxMemoryMiB":4096,
    "maxCpus":4,"maxDiskMiB":20480,"serverMaxMemoryMiB":2048,"serverMaxCpus":2,"serverMaxDiskMiB":10240,
    "priceServerMonth":5,"priceMemoryGiBMonth":2,"priceCpuMonth":3,"priceDiskGiBMonth":0.1,"currency":"EUR"}' | jq .id)
  api -X POST "http://127.0.0.1:$port/api/v1/tenants" -d "{\"name\":\"Demo customer\",\"slug\":\"demo\",\"planId\":$plan}" >/dev/null
fi
if [ "$(id -u)" -eq 0 ] && [ "$(api "http://127.0.0.1:$port/api/v1/hosts" | jq .total)" = "0" ]; then
  curl -sf -X POST -H "Authorization: Bearer $AGENT_SECRET" "http://127.0.0.1:$agent_port/v1/templates/busybox/build" >/dev/null
  api -X POST "http://127.0.0.1:$port/api/v1/hosts" \
    -d "{\"name\":\"$(hostname)\",\"agentUrl\":\"http://127.0.0.1:$agent_port\",\"secret\":\"$AGENT_SECRET\"}" >/dev/null
fi

cat <<MSG

Corral is up: http://localhost:$port
  admin:    admin / $ADMIN_PASSWORD
  customer: demo / $DEMO_PASSWORD   (tenant "demo", plan "starter")
API: http://localhost:$port/api/v1 (OpenAPI at /q/openapi, Swagger UI at /q/swagger-ui)
Data and logs: $data (credentials in $credentials)
Press Ctrl-C to stop.
MSG
wait
