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
env CORRAL_DB_PASSWORD=x KEYCLOAK_ADMIN_PASSWORD=x CORRAL_ADMIN_PASSWORD=x CORRAL_PANEL_CLIENT_SECRET=x \
  CORRAL_BILLING_CLIENT_SECRET=x CORRAL_AUTOMATION_CLIENT_SECRET=x CORRAL_AGENT_SECRET=x docker-compose config -q
echo "docker-compose.yml is valid"
