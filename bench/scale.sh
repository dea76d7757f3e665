#!/usr/bin/env bash
# Scale benchmark (as root, from the repository root): bench/scale.sh [MINUTES] [HOSTS] [SERVERS] [TENANTS]
# (default 10 5000 100000 2000). Two packaged panels on one PostgreSQL (the first panel's embedded one) keep HOSTS
# hosts with SERVERS servers of TENANTS tenants: heartbeats every 10 s, agents sampling every 10 s and the panels
# taking their samples every minute (the panel's defaults). The hosts are one
# stand-in agent (host-agent/bench/StandInAgent.java: the agent's API, TLS and JSON, nothing running). Prints a row a
# minute and a summary: hosts not heard from within 30 s, how far the usage ledger is behind the agents' newest
# rounds, the CPU of each panel and of PostgreSQL, and the database's growth. Then, under the same load: the p99 of a
# customer's and the admin's server list against their SQL alone, the admins' searches and consolidation page, and
# create → running of new orders.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}" hosts="${2:-5000}" servers="${3:-100000}" tenants="${4:-2000}"
work="$(mktemp -d /var/tmp/corral-scale-XXXX)"
pgport=54339 port=18090 port2=18091 agent_port=18761 secret=scale-bench-secret-0123456789
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in psql pgbench wrk curl jq; do
  command -v $tool >/dev/null || { echo "bench needs $tool (Debian: apt-get install postgresql-client wrk curl jq)" >&2; exit 1; }
done
# built each time, so a run never measures yesterday's jars
(cd host-agent && mvn -q -B -ntp package -DskipTests)
mvn -q -B -ntp package -DskipTests

. bench/identity.sh
. bench/latency.sh
start_keycloak "$work/keycloak" "$work/keycloak.log"
add_bench_customer
add_bench_admin
start_panel() { # N PORT [ENV...]: the packaged panel as ./run.sh starts it
  local n=$1 p=$2; shift 2
  env CORRAL_DATA_DIR="$work/panel$n" CORRAL_PORT="$p" CORRAL_KEYCLOAK_URL="$kc" CORRAL_PANEL_CLIENT_SECRET="$panel_client_secret" "$@" \
    java @scripts/panel-jvm-options ${PANEL_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$work/panel$n.log" 2>&1 &
  pids+=($!)
  printf -v "panel${n}_pid" %s "$!"
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$p/q/health/ready" >/dev/null && return; sleep 0.5; done
  echo "panel $n did not start; its log:" >&2; tail -30 "$work/panel$n.log" >&2; exit 1
}
start_panel 1 $port CORRAL_DB_PORT=$pgport
PGPASSWORD="$(cat "$work/panel1/postgres.password")"; export PGPASSWORD
db="postgresql://postgres@127.0.0.1:$pgport/postgres"

# the stand-in's certificate first: the seed pins it for every host
mkdir -p "$work/standin"
fingerprint=$(host-agent/corral-agent --state-dir "$work/standin" fingerprint)
echo "seeding $tenants tenants, $hosts hosts, $servers servers..." >&2
psql -q "$db" -v tenants="$tenants" -v hosts="$hosts" -v servers="$servers" -v url="https://127.0.0.1:$agent_port" \
  -v secret="$secret" -v fingerprint="$fingerprint" -f bench/scale-seed.sql >/dev/null
psql -At -F' ' "$db" -c "select substr(h.name, 9), v.id from virtual_server v join host h on h.id = v.host_id" > "$work/placement"
AGENT_SECRET=$secret java -Xmx2g -cp host-agent/target/corral-agent.jar host-agent/bench/StandInAgent.java 127.0.0.1 $agent_port \
  "$work/standin" "$work/placement" > "$work/standin.out" 2>"$work/standin.log" &
standin_pid=$!
pids+=($standin_pid)
for _ in $(seq 120); do grep -qx ready "$work/standin.out" 2>/dev/null && break; sleep 0.5; done
grep -qx ready "$work/standin.out" || { echo "the stand-in agent did not start:" >&2; cat "$work/standin.log" >&2; exit 1; }
[ "$(head -1 "$work/standin.out")" = "$fingerprint" ] || { echo "the stand-in presents another certificate than the seed pinned" >&2; exit 1; }
start_panel 2 $port2 CORRAL_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/postgres" CORRAL_DB_PASSWORD="$PGPASSWORD"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
postgres_ticks() { # the bench's PostgreSQL's CPU so far, as "sessions background": the panels' pooled connections (they
  # stay), and the rest: the postmaster, its background processes, and its children that have ended (autovacuum's workers
  # come and go: their CPU is the postmaster's children's time)
  local sessions=0 background p postmaster
  postmaster=$(head -1 "$work/panel1/postgres/postmaster.pid")
  background=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
  for p in $(pgrep -P "$postmaster"); do
    local t; t=$(ticks "$p" 2>/dev/null) || continue
    if grep -q "^postgres: postgres postgres" "/proc/$p/cmdline" 2>/dev/null; then sessions=$((sessions + t)); else background=$((background + t)); fi
  done
  echo "$sessions $background"
}
hz=$(getconf CLK_TCK)
measure() { # one row: hosts not heard within 30 s, the ledger's lag (median, worst), database size
  psql -At -F' | ' "$db" -c "select count(*) filter (where last_heartbeat is null or last_heartbeat < now() - interval '30 s'),
      coalesce(round(extract(epoch from percentile_cont(0.5) within group (order by now() - meter_sampled_at))), -1),
      coalesce(round(extract(epoch from max(now() - meter_sampled_at))), -1),
      pg_size_pretty(pg_database_size('postgres'))
    from host"
}
echo
echo "## $hosts hosts, $servers servers, $tenants tenants; two panels, heartbeats every 10 s, samples every 10 s taken every minute ($minutes min)"
echo
echo "| minute | hosts not heard within 30 s | ledger behind, median s | worst s | database | panel 1 CPU | panel 2 CPU | PostgreSQL CPU (sessions + background) | stand-in agent CPU |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
size_start=$(psql -At "$db" -c "select pg_database_size('postgres')")
psql -q "$db" -c "create extension if not exists pg_stat_statements; select pg_stat_statements_reset()" >/dev/null
p1=$(ticks "$panel1_pid") p2=$(ticks "$panel2_pid") sa=$(ticks "$standin_pid")
read -r pgs pgb < <(postgres_ticks)
for minute in $(seq "$minutes"); do
  sleep 60
  n1=$(ticks "$panel1_pid") n2=$(ticks "$panel2_pid") nsa=$(ticks "$standin_pid")
  read -r npgs npgb < <(postgres_ticks)
  share() { awk -v t="$1" -v hz="$hz" 'BEGIN {printf "%.0f%%", t / hz / 60 * 100}'; }
  echo "| $minute | $(measure) | $(share $((n1 - p1))) | $(share $((n2 - p2))) | $(share $((npgs + npgb - pgs - pgb))) ($(share $((npgs - pgs))) + $(share $((npgb - pgb)))) | $(share $((nsa - sa))) |"
  p1=$n1 p2=$n2 pgs=$npgs pgb=$npgb sa=$nsa
done
size_end=$(psql -At "$db" -c "select pg_database_size('postgres')")
echo
awk -v a="$size_start" -v b="$size_end" -v m="$minutes" \
  'BEGIN {printf "database growth: %.1f MiB in %d min, %.2f GiB per day of samples\n", (b - a) / 1048576, m, (b - a) / m * 1440 / 1073741824}'
psql -At "$db" -c "select 'tables of samples and usage: ' || string_agg(name || ' ' || pg_size_pretty(bytes), ', ' order by name) from (
    select coalesce(p.relname, c.relname) as name, sum(pg_total_relation_size(c.oid)) as bytes from pg_class c
    left join pg_inherits i on i.inhrelid = c.oid left join pg_class p on p.oid = i.inhparent
    where c.relkind = 'r' and coalesce(p.relname, c.relname) ~ '^(usage|host_sample|host_rounds|host_hour)' group by 1) t"
echo "stand-in requests: $(tail -1 "$work/standin.log")"
echo
echo "Where PostgreSQL's time went over these minutes (pg_stat_statements, the statements taking the most):"
echo
echo "| share of time | calls | ms per call | rows per call | statement |"
echo "| --- | --- | --- | --- | --- |"
psql -At -F' | ' "$db" -c "select round(100 * total_exec_time / sum(total_exec_time) over ())::text || '%', calls,
    round((total_exec_time / calls)::numeric, 2), round(rows::numeric / calls, 1),
    left(replace(regexp_replace(query, '\s+', ' ', 'g'), '|', '/'), 140) from pg_stat_statements order by total_exec_time desc limit 10" | sed 's/^/| /; s/$/ |/'
echo "the panels' warnings, most frequent first:"
grep -h " WARN " "$work/panel1.log" "$work/panel2.log" | sed 's/^.* WARN  *//; s/[0-9][0-9]*/N/g' | cut -c1-200 | sort | uniq -c | sort -rn | head -5 || true

echo
echo "## Under that load: lists, searches, orders"
echo
echo "| what | median | p99 | per second |"
echo "| --- | --- | --- | --- |"
list_row() { # name url authorization script [-D ...]
  local name=$1 url=$2 auth=$3 script=$4 panel sql; shift 4
  wrk_warm "$url" "$auth"
  panel=($(wrk_latency 30 "$url" "$auth")) # apart: an assignment's status is its last substitution's
  sql=($(pgbench_latency 30 "$script" "$@"))
  echo "| $name through the panel (wrk, 8 connections) | ${panel[0]} | ${panel[1]} | ${panel[2]} |"
  echo "| $name, its SQL alone (pgbench, 8 clients, prepared) | ${sql[0]} | ${sql[1]} | ${sql[2]} |"
}
list_row "a customer's servers (tenant t1, 50)" "http://127.0.0.1:$port/api/v1/servers" "Bearer $(customer_token)" \
  bench/list-my-servers.sql -D slug=t1 -D offset=0 -D rows=51
list_row "the admin's servers (first page of 50 of all)" "http://127.0.0.1:$port/api/v1/servers" "Bearer $(admin_token)" \
  bench/list-all-servers.sql -D offset=0 -D rows=51
echo
echo "| the admin asks (one at a time, 5 times after 2) | median ms | slowest ms |"
echo "| --- | --- | --- |"
admin_auth="Authorization: Bearer $(admin_token)"
timed() { # name path [curl arguments]: two requests first, unmeasured (the first of a kind waits for the JIT: 17.7 s for the consolidation's)
  local name=$1 path=$2 times=(); shift 2
  curl -sf -o /dev/null "$@" "http://localhost:$port$path"; curl -sf -o /dev/null "$@" "http://localhost:$port$path"
  for _ in 1 2 3 4 5; do
    times+=($(curl -sf -o "$work/answer" -w '%{time_total}' "$@" "http://localhost:$port$path" | awk '{printf "%.0f", $1 * 1000}'))
  done
  echo "| $name \`$path\` | $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) | $(printf '%s\n' "${times[@]}" | sort -n | tail -1) |"
}
timed "servers by part of the hostname" "/api/v1/servers?q=vs4242" -H "$admin_auth"
timed "servers of a tenant" "/api/v1/servers?tenant=t77" -H "$admin_auth"
timed "servers on a host" "/api/v1/servers?host=standin-4242" -H "$admin_auth"
timed "servers in a state" "/api/v1/servers?state=failed" -H "$admin_auth"
timed "the last page of all servers" "/api/v1/servers?page=1999" -H "$admin_auth"
timed "hosts by part of the name" "/api/v1/hosts?q=standin-424" -H "$admin_auth"
timed "the consolidation statistics" "/api/v1/consolidation?window=24h" -H "$admin_auth"
timed "the consolidation plan" "/api/v1/consolidation/plan?window=24h" -H "$admin_auth"
cp "$work/answer" "$work/plan"
sign_in "$work/admin.cookies" "http://localhost:$port/admin/consolidation" bench-admin bench-admin-password || echo "the bench admin could not sign in at the page" >&2
timed "the consolidation page (a browser's session)" "/admin/consolidation?window=24h" -b "$work/admin.cookies"
echo
echo "Of the last plan's time through the API, the planner's own: $(jq -r '"\(.plannedInMillis) ms (\(.moves | length) moves, \(.hostsKept) hosts kept, the bound \(.lowerBound))"' "$work/plan")"
echo "What the Consolidation pages made in the background, as their panels logged it:"
grep -h " made in " "$work/panel1.log" "$work/panel2.log" | sed 's/^.*InBackground\] ([^)]*) /  /' | tail -6 || true
grep -q 'id="plan-summary"' "$work/answer" && echo "The last consolidation page timed showed the plan: $(grep -o 'Made from the fleet[^<]*' "$work/answer")" \
  || echo "The last consolidation page timed showed no plan: $(grep -o 'A plan[^<]*' "$work/answer" | head -1)"

# new orders while all this runs: POST until the panel records the server running (the stand-in creates at once)
customer_auth="Authorization: Bearer $(customer_token)"
took=() answered=()
for i in $(seq 10); do
  sent=$(date +%s%3N)
  sid=$(curl -sf -H "$customer_auth" -H 'Content-Type: application/json' -X POST "http://127.0.0.1:$port/api/v1/servers" \
    -d "{\"hostname\":\"order$i.t1\",\"template\":\"busybox\",\"memoryMiB\":256,\"cpus\":1,\"diskMiB\":1024}" | jq -r .id)
  answered+=($(($(date +%s%3N) - sent)))
  for _ in $(seq 600); do
    done_at=$(psql -At "$db" -c "select round(extract(epoch from finished_at) * 1000) from operation
      where server_id = $sid and kind = 'create' and status = 'succeeded'")
    [ -n "$done_at" ] && break
    sleep 0.1
  done
  [ -n "$done_at" ] || { echo "order $i (server $sid) was not running within 60 s" >&2; exit 1; }
  took+=($((done_at - sent)))
done
echo
echo "create → running, 10 orders one after another: median $(printf '%s\n' "${took[@]}" | sort -n | sed -n 5p) ms (all: ${took[*]} ms)"
echo "of which the order's answer (placement and the order's transaction): median $(printf '%s\n' "${answered[@]}" | sort -n | sed -n 5p) ms (all: ${answered[*]} ms)"
