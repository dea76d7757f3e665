#!/usr/bin/env bash
# Panel benchmark (as root, from the repository root: bench/panel.sh [SECONDS]).
# 1. With 10,000 servers across 200 tenants seeded: latency of list-my-servers and server-detail
#    under a steady wrk load on loopback, against the same statements timed alone by pgbench.
# 2. create → running through the panel (order, queue, worker, agent) against the agent alone
#    (create + start over its API), on a real local agent.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
rounds=10
work="$(mktemp -d /var/tmp/corral-panel-bench-XXXX)"
pgport=54329 port=18080 agent_port=18751 secret=panel-bench-secret-0123456789
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in wrk pgbench psql curl jq; do command -v $tool >/dev/null || { echo "bench needs $tool" >&2; exit 1; }; done
[ -f target/quarkus-app/quarkus-run.jar ] || mvn -q -B -ntp package -DskipTests
[ -f host-agent/target/corral-agent.jar ] || (cd host-agent && mvn -q -B -ntp package -DskipTests)

CORRAL_DATA_DIR="$work" CORRAL_DB_PORT=$pgport CORRAL_PORT=$port java \
  -Dquarkus.security.users.embedded.users.admin=bench-admin -Dquarkus.security.users.embedded.roles.admin=admin \
  -Dquarkus.security.users.embedded.users.c1=bench-c1 -Dquarkus.security.users.embedded.roles.c1=customer,tenant:t1 \
  -Dcorral.heartbeat.every=off -jar target/quarkus-app/quarkus-run.jar >"$work/panel.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
db="postgresql://postgres:postgres@127.0.0.1:$pgport/postgres"
psql -q "$db" -f bench/seed.sql >/dev/null
id=$(psql -At "$db" -c "select min(v.id) from virtual_server v join tenant t on t.id = v.tenant_id where t.slug = 't1'")
auth="Authorization: Basic $(printf c1:bench-c1 | base64)"

wrk_row() { # name url → "| name | median | p99 |" from wrk --latency
  wrk -t2 -c8 -d20s -H "$auth" "$2" >/dev/null # warm-up: the JIT compiles the hot paths first
  wrk -t2 -c8 -d"${seconds}s" --latency -H "$auth" "$2" > "$work/wrk.txt"
  local p50 p99 rps
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  echo "| $1 through the panel (wrk, 8 connections) | $p50 | $p99 | $rps |"
}
pgbench_row() { # name script → same row from pgbench's per-transaction log
  pgbench -n -c8 -j2 -T3 -D id="$id" -f "$2" "$db" >/dev/null 2>&1
  rm -f "$work"/pgb.*
  pgbench -n -c8 -j2 -T"$seconds" -D id="$id" -f "$2" --log --log-prefix="$work/pgb" "$db" > "$work/pgbench.txt" 2>&1
  cat "$work"/pgb.* | awk '{print $3}' | sort -n > "$work/lat.txt"
  local n p50 p99 tps
  n=$(wc -l < "$work/lat.txt")
  p50=$(awk -v k=$(( (n + 1) / 2 )) 'NR==k {printf "%.2fms", $1/1000}' "$work/lat.txt")
  p99=$(awk -v k=$(( (n * 99 + 99) / 100 )) 'NR==k {printf "%.2fms", $1/1000}' "$work/lat.txt")
  tps=$(awk '/^tps/ {print $3}' "$work/pgbench.txt")
  echo "| $1, its SQL alone (pgbench, 8 clients) | $p50 | $p99 | $tps |"
}

echo "## Under load: 10,000 servers, 200 tenants; a customer of tenant t1 (50 servers)"
echo
echo "| what | median | p99 | per second |"
echo "| --- | --- | --- | --- |"
wrk_row "GET /api/v1/servers (first page of 50)" "http://127.0.0.1:$port/api/v1/servers"
pgbench_row "list-my-servers" bench/list-my-servers.sql
wrk_row "GET /api/v1/servers/$id" "http://127.0.0.1:$port/api/v1/servers/$id"
pgbench_row "server-detail" bench/server-detail.sql

# create → running, on a real agent
fingerprint=$(host-agent/corral-agent --state-dir "$work/agent" fingerprint)
CORRAL_AGENT_SECRET=$secret host-agent/corral-agent --state-dir "$work/agent" --stop-grace 0 serve --port $agent_port >"$work/agent.log" 2>&1 &
pids+=($!)
# -k: the bench's own agent on loopback (the panel pins its certificate); the secret on stdin, not in ps
agent() { printf 'header = "Authorization: Bearer %s"\n' "$secret" | curl -sfk -K - -H 'Content-Type: application/json' "$@"; }
for _ in $(seq 100); do agent "https://127.0.0.1:$agent_port/v1/host" >/dev/null && break; sleep 0.2; done
agent -X POST "https://127.0.0.1:$agent_port/v1/templates/busybox/build" >/dev/null
psql -q "$db" -c "update host set status = 'draining' where name = 'bench-host'"
admin() { curl -sf -u admin:bench-admin -H 'Content-Type: application/json' "$@"; }
admin -X POST "http://127.0.0.1:$port/api/v1/hosts" \
  -d "{\"name\":\"local\",\"agentUrl\":\"https://127.0.0.1:$agent_port\",\"secret\":\"$secret\",\"fingerprint\":\"$fingerprint\"}" >/dev/null
now_ms() { date +%s%3N; }
panel_ms=() agent_ms=()
for i in $(seq $rounds); do
  t0=$(now_ms)
  sid=$(curl -sf -H "$auth" -H 'Content-Type: application/json' -X POST "http://127.0.0.1:$port/api/v1/servers" \
    -d "{\"hostname\":\"bench$i\",\"template\":\"busybox\",\"memoryMiB\":64,\"cpus\":0.1,\"diskMiB\":64}" | jq .id)
  until [ "$(curl -sf -H "$auth" "http://127.0.0.1:$port/api/v1/servers/$sid" | jq -r .observedState)" = running ]; do :; done
  panel_ms+=($(( $(now_ms) - t0 )))
  curl -sf -H "$auth" -X DELETE "http://127.0.0.1:$port/api/v1/servers/$sid" >/dev/null
  until [ "$(agent -o /dev/null -w '%{http_code}' "https://127.0.0.1:$agent_port/v1/servers/$sid" || true)" != 200 ]; do :; done

  t0=$(now_ms)
  agent -X POST "https://127.0.0.1:$agent_port/v1/servers" \
    -d "{\"id\":\"direct$i\",\"hostname\":\"direct$i\",\"template\":\"busybox\",\"limits\":{\"memoryMiB\":64,\"cpus\":0.1,\"diskMiB\":64}}" >/dev/null
  agent -X POST "https://127.0.0.1:$agent_port/v1/servers/direct$i/start" >/dev/null
  agent_ms+=($(( $(now_ms) - t0 )))
  agent -X DELETE "https://127.0.0.1:$agent_port/v1/servers/direct$i" >/dev/null
done
# where the panel's time goes: waiting in the queue, then the worker's calls to the agent
split=$(psql -At "$db" -c "select round(avg(extract(epoch from started_at - created_at) * 1000)), round(avg(extract(epoch from finished_at - started_at) * 1000)) from operation where kind = 'create' and status = 'succeeded'")
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "## create → running ($rounds rounds, busybox, 64 MiB disk)"
echo
echo "| what | median ms | all ms |"
echo "| --- | --- | --- |"
echo "| through the panel: POST /api/v1/servers until observedState is running | $(median "${panel_ms[@]}") | ${panel_ms[*]} |"
echo "| agent alone: POST /v1/servers then POST /v1/servers/{id}/start | $(median "${agent_ms[@]}") | ${agent_ms[*]} |"
echo
echo "create operations on average: ${split%%|*} ms queued before a worker claimed them, ${split##*|} ms from claim to done"

