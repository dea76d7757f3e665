#!/usr/bin/env bash
# Runs every test of the host agent and the panel. Installs what it needs when run as root
# (Debian packages, Maven fetches the rest from Maven Central), or says exactly what is missing.
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts/prerequisites.sh

require_root_for_agent
install_prerequisites

echo "== building the host agent (the panel's end-to-end tests start its jar) =="
(cd host-agent && mvn -B -ntp -q package -DskipTests)

# The agent's tests and the panel's run side by side: both spend much of their time waiting (on servers booting,
# Keycloak, the browser). The agent's run in a network namespace of their own, since both suites' servers take
# addresses from the same documentation ranges, except the two that fetch Debian from its mirror, which need the
# machine's network (no address of theirs is one the panel's tests use). Each lane's lines carry its name; a lane's
# failure fails the run once both have finished, and Ctrl-C stops both.
trap 'trap - INT TERM; kill 0' INT TERM
lane() { # name command...
  local name=$1; shift
  "$@" 2>&1 | sed -u "s/^/[$name] /"
}
mirror_tests=DebianEscapeTest,SshTest
agent_lane() { # every step runs, also after one failed (the mirror may be down); the lane fails if any did
  local status=0
  echo "== host agent: the tests that fetch Debian from its mirror (real namespaces, cgroups, loop devices) =="
  (cd host-agent && mvn -B -ntp -Dstyle.color=never test -Dtest="$mirror_tests") || status=1
  echo "== host agent: the other tests, in a network namespace of their own =="
  # offline: the step before fetched what Maven runs tests with, and the namespace has no way out
  (cd host-agent && ../scripts/test-hosts.sh alone mvn -B -o -ntp -Dstyle.color=never test -Dtest="!${mirror_tests//,/,!}") || status=1
  echo "== host agent on cgroup v2 (a QEMU guest in software emulation; fetches its kernel and QEMU once) =="
  host-agent/test-v2.sh || status=1
  return $status
}
panel_lane() {
  echo "== panel (embedded PostgreSQL, a real agent, headless Chromium; then the packaged panel restarted mid-operation) =="
  mvn -B -ntp -Dstyle.color=never verify
}
lane agent agent_lane & agent_pid=$!
lane panel panel_lane & panel_pid=$!
agent_status=0 panel_status=0
wait $agent_pid || agent_status=$?
wait $panel_pid || panel_status=$?
[ $agent_status -eq 0 ] || echo "the host agent's tests failed (lines marked [agent] above)" >&2
[ $panel_status -eq 0 ] || echo "the panel's tests failed (lines marked [panel] above)" >&2
[ $agent_status -eq 0 ] && [ $panel_status -eq 0 ] || exit 1

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
