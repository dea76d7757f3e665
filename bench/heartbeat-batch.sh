#!/bin/bash
# The heartbeat's batch statement (heartbeat/UnchangedBeats) as it is (OLD) and with each server's limits and its plan's rates
# read too (NEW, the comparison heartbeat/LimitsRepair would have needed at every beat), and the per-host reads of the
# slow path, timed by pgbench -M prepared on a throwaway PostgreSQL 15 with the migrations and bench/scale-seed.sql.
# As root: bench/heartbeat-batch.sh (Debian: apt-get install postgresql-15 postgresql-client); WARM= and REPS= change the counts.
set -euo pipefail
MAIN="$(cd "$(dirname "$0")/.." && pwd)"
B="$(mktemp -d /tmp/corral-beat-XXXX)"
BIN=/usr/lib/postgresql/15/bin
PORT=55439

WARM=${WARM:-50}   # warm-up transactions per statement (discarded)
REPS=${REPS:-300}  # measured transactions per statement

# what else the machine does, which the timings depend on
machine() { echo "load average $1: $(cat /proc/loadavg); java processes running: $(pgrep -c java || true)"; }
machine before

stop() { runuser -u postgres -- "$BIN/pg_ctl" -D "$B/data" -m fast stop >/dev/null 2>&1 || true; }
trap 'stop; [ -n "${KEEP:-}" ] || rm -rf "$B"' EXIT

chown postgres: "$B"; chmod 700 "$B"
runuser -u postgres -- "$BIN/initdb" -D "$B/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$BIN/pg_ctl" -D "$B/data" -l "$B/pg.log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$B -c log_parameter_max_length=0" start >/dev/null

export PGHOST=$B PGPORT=$PORT PGUSER=postgres
PSQL=("$BIN/psql" -X -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "create database panel"
export PGDATABASE=panel
"${PSQL[@]}" -Atc "select version()"

# migrations in numeric version order
for f in $(cd "$MAIN/migrations" && ls V*__*.sql | sort -V); do
  "${PSQL[@]}" -f "$MAIN/migrations/$f" >/dev/null || { echo "MIGRATION FAILED: $f"; exit 1; }
done
echo "migrations applied: $(ls "$MAIN"/migrations/V*__*.sql | wc -l)"

(cd "$MAIN" && "${PSQL[@]}" -v tenants=2000 -v servers=100000 -v hosts=5000 -v url=https://127.0.0.1:1 \
   -v secret=scale-bench-secret-0123456789 -v fingerprint=00 -f bench/scale-seed.sql)
"${PSQL[@]}" -c "vacuum analyze"

# the world measured, and random batches of distinct hosts, picked per transaction by a primary-key lookup
"${PSQL[@]}" -At <<'SQL'
select 'servers per host ' || min(n) || '..' || max(n) || ', distinct tenants per host ' || min(d) || '..' || max(d)
from (select host_id, count(*) n, count(distinct tenant_id) d from virtual_server group by host_id) s;
create schema bench;
create table bench.batch (size int, k int, ids text, primary key (size, k));
insert into bench.batch select sz, k, (select array_agg(id order by id) from (select id from host where k > 0 order by random() limit sz) s)::text
from (values (10), (100)) z(sz), generate_series(1, 5000) k;
analyze bench.batch;
SQL

D=$B/pgb; mkdir -p "$D"; cd "$D"
BATCH_OLD="with locked as (select id from host where id = any(cast(:ids as bigint[])) and status <> 'down'
                order by id for no key update skip locked),
     heard as (update host h set last_heartbeat = :now, heartbeat_error = null from locked where h.id = locked.id
               returning h.id)
select heard.id, v.id, v.observed_state, v.own_user_namespace from heard
left join virtual_server v on v.host_id = heard.id and v.desired_state <> 'destroyed' and v.observed_state <> 'creating';"
BATCH_NEW="with locked as (select id from host where id = any(cast(:ids as bigint[])) and status <> 'down'
                order by id for no key update skip locked),
     heard as (update host h set last_heartbeat = :now, heartbeat_error = null from locked where h.id = locked.id
               returning h.id)
select heard.id, v.id, v.observed_state, v.own_user_namespace,
       v.memory_mib, v.swap_mib, v.cpus, v.cpu_weight, v.pids, v.disk_mib,
       p.server_network_in_mbit, p.server_network_out_mbit, p.server_disk_mibps, p.server_disk_iops
from heard
left join virtual_server v on v.host_id = heard.id and v.desired_state <> 'destroyed' and v.observed_state <> 'creating'
left join tenant t on t.id = v.tenant_id
left join plan p on p.id = t.plan_id;"

# one script, strictly alternating: odd transactions OLD, even NEW (:n persists per client across transactions)
for sz in 10 100; do cat > batch$sz.sql <<EOF
\set n :n + 1
\set k random(1, 5000)
select ids, clock_timestamp() as now from bench.batch where size = $sz and k = :k \gset
\if :n % 2 = 1
BEGIN;
$BATCH_OLD
ROLLBACK;
\else
BEGIN;
$BATCH_NEW
ROLLBACK;
\endif
EOF
done

run() { # name script -> per-transaction log + server-side execute durations of the timed statements
  local name=$1 script=$2 before
  "${PSQL[@]}" -c "vacuum analyze host"
  before=$(wc -l < "$B/pg.log")
  PGOPTIONS="-c log_min_duration_statement=0" "$BIN/pgbench" -n -M prepared -c 1 -j 1 -t $((2 * (WARM + REPS))) \
    -D n=0 -f "$script" -l --log-prefix="$name" panel >/dev/null
  tail -n +"$((before + 1))" "$B/pg.log" > "$name.srv"
  cat "$name".[0-9]* > "$name.txn"
}
machine "before pgbench"
run b10 batch10.sql
run b100 batch100.sql
machine "after pgbench"

python3 - "$WARM" "$REPS" <<'PY'
import re, sys, statistics as st
warm, reps = int(sys.argv[1]), int(sys.argv[2])
def q(xs):
    xs = sorted(xs); return st.median(xs), xs[-(-95 * len(xs) // 100) - 1]   # median, nearest-rank p95
def cut(xs, name):
    xs = xs[warm:warm + reps]; assert len(xs) == reps, (name, len(xs)); return xs
def txn(name):  # pgbench per-transaction log: client txno latency_us script epoch us; txno 1,3,5.. OLD, 2,4,6.. NEW
    rows = [l.split() for l in open(name + '.txn')]
    return [cut([int(r[2]) / 1000 for r in rows if int(r[1]) % 2 == k], name) for k in (1, 0)]
def srv(name, prefixes):  # server log: bind (= planning, for a custom plan) + execute of each statement, by text prefix
    d = {}
    entries = re.split(r'\n(?=\d{4}-\d\d-\d\d )', open(name + '.srv').read())   # continuation lines start with a tab
    for l in entries:
        m = re.search(r'duration: ([\d.]+) ms  (bind|execute) (\S+): (.*)', l, re.S)
        if m: d.setdefault(m.group(3), {'text': m.group(4), 'bind': [], 'execute': []})[m.group(2)].append(float(m.group(1)))
    out = []
    for p in prefixes:
        [st_] = [v for v in d.values() if p in v['text']]
        assert len(st_['bind']) == len(st_['execute'])
        out.append((cut([x + y for x, y in zip(st_['bind'], st_['execute'])], name), cut(st_['bind'], name)))
    return out
print(f"\n{reps} measured per statement after {warm} warm-up each, strictly alternating OLD/NEW; ms")
print("| what | txn median | txn p95 | stmt bind+exec median | bind+exec p95 | of which bind (planning) median |")
print("|---|---|---|---|---|---|")
for name, label in [('b10', 'batch 10 hosts'), ('b100', 'batch 100 hosts')]:
    to, tn = txn(name)
    so, sn = srv(name, ['select heard.id, v.id, v.observed_state, v.own_user_namespace from heard',
                        'select heard.id, v.id, v.observed_state, v.own_user_namespace,'])
    for tag, t, (s, b) in (('OLD', to, so), ('NEW', tn, sn)):
        (tm, tp), (sm, sp), (bm, _) = q(t), q(s), q(b)
        print(f"| {tag} {label} | {tm:.3f} | {tp:.3f} | {sm:.3f} | {sp:.3f} | {bm:.3f} |")
print("(txn = the whole pgbench transaction: picking the ids, BEGIN, the statement and ROLLBACK)")
PY

echo; echo "plan_cache_mode: $("${PSQL[@]}" -Atc 'show plan_cache_mode')"
IDS=$("${PSQL[@]}" -At -c "select ids from bench.batch where size = 100 and k = 1")
for s in OLD NEW; do
  if [ $s = OLD ]; then STMT=$BATCH_OLD; else STMT=$BATCH_NEW; fi
  STMT=${STMT//:ids/\$1}; STMT=${STMT//:now/\$2}
  echo; echo "== EXPLAIN (ANALYZE, BUFFERS) EXECUTE $s, 100 hosts: 6th execution of the prepared statement, after 5 on other batches (the plan pgbench -M prepared gets)"
  { echo "begin;"; echo "prepare s(bigint[], timestamptz) as ${STMT%;};"; echo '\o /dev/null'
    for i in 2 3 4 5 6; do echo "explain (analyze) execute s('$("${PSQL[@]}" -At -c "select ids from bench.batch where size = 100 and k = $i")', now());"; done
    echo '\o'; echo "explain (analyze, buffers) execute s('$IDS', now());"; echo "rollback;"; } > explain$s.sql
  "${PSQL[@]}" -f explain$s.sql
done
machine "at end"
