#!/usr/bin/env bash
# Runs every test of the host agent and the panel. Installs what it needs when run as root
# (Debian packages, Maven fetches the rest from Maven Central), or says exactly what is missing.
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts/prerequisites.sh

require_root_for_agent
install_prerequisites

echo "== host agent (real namespaces, cgroups, loop devices) =="
# package runs the agent's tests and builds the jar the panel's end-to-end tests start
(cd host-agent && mvn -B -ntp package)

echo "== host agent on cgroup v2 (a QEMU guest in software emulation; fetches its kernel and QEMU once) =="
host-agent/test-v2.sh

echo "== panel (embedded PostgreSQL, a real agent, headless Chromium; then the packaged panel restarted mid-operation) =="
mvn -B -ntp verify

echo "== docker-compose.yml (validated offline; no Docker engine runs here) =="
# Debian's docker-compose 1.29 predates the Compose specification's `cgroup` key (Docker Compose v2), so it
# validates the file without that line, which must be there; the secrets come from a throwaway .env.
grep -qx '    cgroup: host' docker-compose.yml || { echo "docker-compose.yml: the agent has no 'cgroup: host'" >&2; exit 1; }
env_file="$(mktemp)"
trap 'rm -f "$env_file"' EXIT
for name in CORRAL_DB_PASSWORD KEYCLOAK_ADMIN_PASSWORD CORRAL_ADMIN_PASSWORD CORRAL_PANEL_CLIENT_SECRET \
            CORRAL_BILLING_CLIENT_SECRET CORRAL_AUTOMATION_CLIENT_SECRET CORRAL_AGENT_SECRET; do
  echo "$name=x" >> "$env_file"
done
sed '/^    cgroup: host$/d' docker-compose.yml |
  docker-compose --env-file "$env_file" --project-directory . -f - --profile tls config -q
echo "docker-compose.yml is valid"
