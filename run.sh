#!/usr/bin/env bash
# Brings up Corral on this machine: Keycloak with the Corral realm, the panel with its embedded
# PostgreSQL and, as root, one local host agent registered with it. Prints where to sign in.
# --hosts N (2 to 13, as root): N host agents instead, each in a network namespace of its own on a bridge of
# its own (scripts/test-hosts.sh, 192.0.2.224/28, nothing routed out), for a fleet to move servers around in.
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
hosts=1
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) [[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] && [ "$2" -le 13 ] || { echo "--hosts takes a count from 1 to 13" >&2; exit 2; }
             hosts=$2; shift 2 ;;
    *) echo "usage: $0 [--hosts N]" >&2; exit 2 ;;
  esac
done
. ./scripts/prerequisites.sh
install_prerequisites

data="$(realpath -m "${CORRAL_DATA_DIR:-data}")"
port="${CORRAL_PORT:-8080}"
agent_port="${CORRAL_AGENT_PORT:-8750}"
keycloak_port="${CORRAL_KEYCLOAK_PORT:-8180}"
keycloak="http://localhost:$keycloak_port"
# The data directory is root's alone (the agent's servers reach nothing in it by path); what is secret
# inside is kept 600 or 700 as well (Keycloak's directory by scripts/keycloak, the database's password
# by the panel, the logs here), so an older, more open data directory is closed too.
mkdir -p "$data" "$data/keycloak" && chmod 700 "$data" "$data/keycloak"
private_file() { # name: made, or kept, readable by this user only
  (umask 077 && : >>"$data/$1") && chmod 600 "$data/$1"
}

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
private_file credentials
. "$credentials"
for entry in ADMIN_PASSWORD:12 AGENT_SECRET:24 PANEL_CLIENT_SECRET:32 BILLING_CLIENT_SECRET:32 \
             AUTOMATION_CLIENT_SECRET:32 KEYCLOAK_ADMIN_PASSWORD:16; do
  name="${entry%%:*}"
  if [ -z "${!name:-}" ]; then
    printf '%s=%s\n' "$name" "$(head -c "${entry##*:}" /dev/urandom | base64 | tr -d '/+=\n')" >> "$credentials"
  fi
done
. "$credentials"

pids=()
await_ready() { # what, URL, seconds, log: waits until the URL answers, or stops when the last started process did
  echo -n "Starting $1 "
  for _ in $(seq "$3"); do
    curl -sf "$2" >/dev/null 2>&1 && { echo; return; }
    kill -0 "${pids[-1]}" 2>/dev/null || { echo; echo "$1 stopped; see $data/$4" >&2; tail -20 "$data/$4" >&2; exit 1; }
    echo -n "."; sleep 1
  done
  echo; echo "$1 was not ready within $3 s; see $data/$4" >&2; exit 1
}
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ "$hosts" -eq 1 ] || scripts/test-hosts.sh down demo
}
trap 'echo; echo "Stopping ..."; stop_all; exit 0' INT TERM
trap stop_all EXIT

# The host agents: name, state directory, URL and fingerprint of each, for the seed to register
agents=()
if [ "$(id -u)" -eq 0 ]; then
  # The busybox template for the demo, and each agent's key (made here if missing), whose fingerprint the
  # panel pins when the host is registered.
  start_agent() { # host name, log, state directory, address, then what runs it (nothing, or a test host's namespace)
    local name=$1 log=$2 state=$3 address=$4; shift 4
    host-agent/corral-agent --state-dir "$state" template build busybox >/dev/null
    private_file "$log"
    CORRAL_AGENT_SECRET="$AGENT_SECRET" "$@" host-agent/corral-agent --state-dir "$state" serve --listen "$address" \
      --port "$agent_port" >"$data/$log" 2>&1 &
    pids+=($!)
    agents+=("$name|https://$address:$agent_port|$(host-agent/corral-agent --state-dir "$state" fingerprint)")
  }
  if [ "$hosts" -eq 1 ]; then
    start_agent "$(hostname)" agent.log "$data/agent" 127.0.0.1
  else
    mkdir -p "$data/hosts"
    while read -r namespace address; do
      start_agent "host-${namespace##*-}" "host-${namespace##*-}.log" "$data/hosts/${namespace##*-}" "$address" \
        scripts/test-hosts.sh run "$namespace"
    done < <(scripts/test-hosts.sh up demo "$hosts" 192.0.2.224)
  fi
else
  [ "$hosts" -eq 1 ] || { echo "--hosts needs root: host agents need namespaces, cgroups and loop devices" >&2; exit 1; }
  echo "Not root: no local host agent can run here (it needs namespaces, cgroups and loop devices)."
  echo "Starting the panel alone; register hosts running an agent elsewhere."
fi

# Keycloak keeps its installation and its data (an H2 database) in the data directory; the realm is
# imported on the first start only.
private_file keycloak.log
KC_BOOTSTRAP_ADMIN_USERNAME=kcadmin KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
  CORRAL_PANEL_URL="http://localhost:$port" CORRAL_PANEL_CLIENT_SECRET="$PANEL_CLIENT_SECRET" \
  CORRAL_BILLING_CLIENT_SECRET="$BILLING_CLIENT_SECRET" CORRAL_AUTOMATION_CLIENT_SECRET="$AUTOMATION_CLIENT_SECRET" \
  scripts/keycloak run "$data/keycloak" "$keycloak_port" >"$data/keycloak.log" 2>&1 &
pids+=($!)
await_ready "Keycloak (the first start takes a minute)" "$keycloak/realms/corral/.well-known/openid-configuration" 300 keycloak.log

private_file panel.log
CORRAL_DATA_DIR="$data" CORRAL_PORT="$port" CORRAL_KEYCLOAK_URL="$keycloak" CORRAL_PANEL_CLIENT_SECRET="$PANEL_CLIENT_SECRET" \
  CORRAL_FIRST_ADMIN_USERNAME=admin CORRAL_FIRST_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  java @scripts/panel-jvm-options -jar target/quarkus-app/quarkus-run.jar >"$data/panel.log" 2>&1 &
pids+=($!)

await_ready "the panel" "http://127.0.0.1:$port/q/health/ready" 120 panel.log

# First run: a starter plan, a demo tenant, and (as root) the hosts. Secrets go to the seed in its
# environment (export is the shell's own), never as arguments, which ps shows to everyone.
seed() { # [name|url|fingerprint]
  (
    export PANEL_URL="http://127.0.0.1:$port" KEYCLOAK_URL="$keycloak" AUTOMATION_CLIENT_SECRET="$AUTOMATION_CLIENT_SECRET"
    if [ $# -gt 0 ]; then
      IFS='|' read -r HOST_NAME AGENT_URL AGENT_FINGERPRINT <<<"$1"
      export HOST_NAME AGENT_URL AGENT_FINGERPRINT AGENT_SECRET="$AGENT_SECRET"
    fi
    exec scripts/seed
  ) >> "$credentials"
}
if [ ${#agents[@]} -eq 0 ]; then
  seed
fi
for agent in "${agents[@]}"; do # started before Keycloak, so up by now
  seed "$agent"
done
. "$credentials"

cat <<MSG

Corral is up: http://localhost:$port
  admin:    admin / $ADMIN_PASSWORD
  customer: demo@example.com / ${DEMO_PASSWORD:-?}   (owner of tenant "demo", plan "starter")
  Both passwords are temporary: Keycloak asks for a new one at the first sign-in.
Keycloak: $keycloak/admin (its own admin: kcadmin / $KEYCLOAK_ADMIN_PASSWORD)
API: http://localhost:$port/api/v1 (OpenAPI at /q/openapi, Swagger UI at /q/swagger-ui)
API tokens: client credentials of corral-automation (admin) or corral-billing, secrets in $credentials
Data and logs: $data
Press Ctrl-C to stop.
MSG
wait
