#!/usr/bin/env bash
# Panel benchmark (as root, from the repository root: bench/panel.sh [SECONDS] [list|create|all]).
# PANEL_JAVA_OPTS go to the panel's JVM, e.g. -XX:StartFlightRecording=filename=panel.jfr,settings=profile.
# list: with 10,000 servers across 200 tenants seeded, latency of list-my-servers and server-detail
#    under a steady wrk load on loopback, against the same statements timed alone by pgbench: at full load, then at
#    the same lower load for both (PACE_MS, default 10: what each wrk connection waits between requests).
# create: create → running through the panel (order, queue, worker, agent) against the agent alone
#    (the one create-and-start call the worker makes), on a real local agent.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}" part="${2:-all}"
rounds=20
work="$(mktemp -d /var/tmp/corral-panel-bench-XXXX)"
pgport=54329 port=18080 agent_port=18751 secret=panel-bench-secret-0123456789
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in wrk pgbench psql curl jq; do command -v $tool >/dev/null || { echo "bench needs $tool (Debian: apt-get install wrk postgresql-client curl jq)" >&2; exit 1; }; done
# built each time, so a run never measures yesterday's jars
(cd host-agent && mvn -q -B -ntp package -DskipTests)
mvn -q -B -ntp package -DskipTests

. bench/identity.sh
start_keycloak "$work/keycloak" "$work/keycloak.log"
add_bench_customer
CORRAL_DATA_DIR="$work" CORRAL_DB_PORT=$pgport CORRAL_PORT=$port CORRAL_KEYCLOAK_URL="$kc" \
  CORRAL_PANEL_CLIENT_SECRET="$panel_client_secret" java @scripts/panel-jvm-options -Dcorral.heartbeat.every=off ${PANEL_JAVA_OPTS:-} \
  -jar target/quarkus-app/quarkus-run.jar >"$work/panel.log" 2>&1 &
panel_pid=$!
pids+=($panel_pid)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null || { echo "the panel did not start; its log:" >&2; tail -30 "$work/panel.log" >&2; exit 1; }
PGPASSWORD="$(cat "$work/postgres.password")"; export PGPASSWORD
db="postgresql://postgres@127.0.0.1:$pgport/postgres"
psql -q "$db" -f bench/seed.sql >/dev/null
id=$(psql -At "$db" -c "select min(v.id) from virtual_server v join tenant t on t.id = v.tenant_id where t.slug = 't1'")

# the panel's CPU time so far (user and system), in clock ticks
panel_ticks() { awk '{print $14 + $15}' "/proc/$panel_pid/stat"; }
. bench/latency.sh
wrk_row() { # name url [pace] → "| name | median | p99 | per second | panel CPU per request |"; pace: see wrk_latency
  local auth="Bearer $(customer_token)" # 5 minutes: a fresh one for each endpoint
  local ticks row cpu
  [ -n "${3:-}" ] || wrk_warm "$2" "$auth" # a paced row follows the same endpoint's row at full load
  ticks=$(panel_ticks)
  row=($(wrk_latency "$seconds" "$2" "$auth" "${3:-}"))
  ticks=$(( $(panel_ticks) - ticks ))
  # the panel's own cost, which the machine's other load does not change much (latency it does)
  cpu=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.3fms", t * 1000 / hz / $1}' "$work/wrk.txt")
  rate=${row[2]}
  echo "| $1 through the panel (wrk, 8 connections${3:+, each waiting $3 ms between requests}) | ${row[0]} | ${row[1]} | ${row[2]} | $cpu |"
}
pgbench_row() { # name script [rate] → the same row from pgbench's per-transaction log; rate: per second, on pgbench's schedule
  local row
  row=($(PGBENCH_RATE="${3:-}" pgbench_latency "$seconds" "$2" -D id="$id" -D slug=t1 -D offset=0 -D rows=51))
  echo "| $1, its SQL alone (pgbench, 8 clients, prepared${3:+, $3 per second}) | ${row[0]} | ${row[1]} | ${row[2]} | |"
}
# Each endpoint twice: as fast as it goes, which measures what the panel serves, and then at one load for both, well below
# either's most (each wrk connection waits PACE_MS between requests; pgbench runs the rate wrk reached), which measures
# what the panel adds to a request's time rather than how queues grow on two shared cores.
pace=${PACE_MS:-10}
rate=
if [ "$part" != create ]; then
  echo "## Under load: 10,000 servers, 200 tenants; a customer of tenant t1 (50 servers)"
  echo
  echo "| what | median | p99 | per second | panel CPU per request |"
  echo "| --- | --- | --- | --- | --- |"
  for endpoint in "GET /api/v1/servers (first page of 50)|servers|list-my-servers" "GET /api/v1/servers/$id|servers/$id|server-detail"; do
    IFS='|' read -r name path script <<<"$endpoint"
    wrk_row "$name" "http://127.0.0.1:$port/api/v1/$path"
    pgbench_row "$script" "bench/$script.sql"
    wrk_row "$name" "http://127.0.0.1:$port/api/v1/$path" "$pace"
    pgbench_row "$script" "bench/$script.sql" "$(printf '%.0f' "$rate")"
  done
fi
[ "$part" != list ] || exit 0

# create → running, on a real agent
fingerprint=$(host-agent/corral-agent --state-dir "$work/agent" fingerprint)
CORRAL_AGENT_SECRET=$secret host-agent/corral-agent --state-dir "$work/agent" --stop-grace 0 serve --port $agent_port --console-port 0 >"$work/agent.log" 2>&1 &
pids+=($!)
# -k: the bench's own agent on loopback (the panel pins its certificate); the secret on stdin, not in ps
agent() { printf 'header = "Authorization: Bearer %s"\n' "$secret" | curl -sfk -K - -H 'Content-Type: application/json' "$@"; }
for _ in $(seq 100); do agent "https://127.0.0.1:$agent_port/v1/host" >/dev/null && break; sleep 0.2; done
agent -X POST "https://127.0.0.1:$agent_port/v1/templates/busybox/build" >/dev/null
psql -q "$db" -c "update host set status = 'draining' where name = 'bench-host'"
admin() { curl -sf -H "Authorization: Bearer $(admin_token)" -H 'Content-Type: application/json' "$@"; }
admin -X POST "http://127.0.0.1:$port/api/v1/hosts" \
  -d "{\"name\":\"local\",\"agentUrl\":\"https://127.0.0.1:$agent_port\",\"secret\":\"$secret\",\"fingerprint\":\"$fingerprint\"}" >/dev/null
# on kept-alive connections: neither side pays for curl's start or a TLS handshake
PANEL_AUTHORIZATION="Bearer $(customer_token)" AGENT_SECRET="$secret" java -Djdk.internal.httpclient.disableHostnameVerification=true \
  bench/java/io/corral/panel/operation/CreateToRunning.java "http://127.0.0.1:$port" "https://127.0.0.1:$agent_port" $rounds > "$work/rounds.txt"
answer_ms=($(awk '{print $2}' "$work/rounds.txt")) agent_ms=($(awk '{print $3}' "$work/rounds.txt"))
panel_ms=()
while read -r sent _ _ sid; do # the order sent until the panel recorded the server running (same clock)
  panel_ms+=($(psql -At "$db" -c "select round(extract(epoch from finished_at) * 1000) - $sent from operation
    where server_id = $sid and kind = 'create' and status = 'succeeded'"))
done < "$work/rounds.txt"
# where the panel's time goes: waiting in the queue, then the worker's calls to the agent
split=$(psql -At "$db" -c "select round(percentile_cont(0.5) within group (order by extract(epoch from started_at - created_at) * 1000)),
  round(percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at) * 1000))
  from (select * from operation where kind = 'create' and status = 'succeeded' order by id desc limit $rounds) measured")
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "## create → running ($rounds rounds, busybox, 64 MiB disk)"
echo
echo "| what | median ms | all ms |"
echo "| --- | --- | --- |"
echo "| through the panel: POST /api/v1/servers sent until the panel records it running | $(median "${panel_ms[@]}") | ${panel_ms[*]} |"
echo "| the panel's answer to POST /api/v1/servers (order taken, operation queued) | $(median "${answer_ms[@]}") | ${answer_ms[*]} |"
echo "| agent alone: POST /v1/servers with \"start\": true (the call the panel's worker makes) | $(median "${agent_ms[@]}") | ${agent_ms[*]} |"
echo
echo "create operations, median: ${split%%|*} ms queued before a worker claimed them, ${split##*|} ms from claim to done"

