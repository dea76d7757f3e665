#!/usr/bin/env bash
# The cost of taking a host's raw samples, rounds of 20 servers: a row a round with samples as objects naming each
# figure (V27), the same with storage main, as arrays of the figures by position (V30); and a row for a minute's six
# rounds (V33), as jsonb, as json (checked, kept as text) and as text (parsed only when read). A scratch PostgreSQL cluster,
# pgbench with 1 client for 15 s each, twice, synchronous_commit off (the commit's flush is not the insert's); the
# text is parsed as jsonb as the panel's parameter is. Usage, as root: bench/raw-samples.sh PG_BIN_DIR
# (the embedded binaries: data/postgres-binaries/*/bin after ./run.sh; needs pgbench and psql on the PATH).
set -euo pipefail
B=${1:?the PostgreSQL bin directory (initdb, pg_ctl), e.g. data/postgres-binaries/PG-*/bin}
work=$(mktemp -d /tmp/corral-raw-samples-XXXX) D=$work/data
chown postgres "$work"
runuser -u postgres -- "$B/initdb" -D "$D" -U postgres -A trust >/dev/null
runuser -u postgres -- "$B/pg_ctl" -D "$D" -o "-p 55432 -c unix_socket_directories=$work" -l "$work/log" -w start >/dev/null
trap 'runuser -u postgres -- "$B/pg_ctl" -D "$D" -w stop >/dev/null; rm -rf "$work"' EXIT
q() { psql -X -q -h "$work" -p 55432 -U postgres "$@"; }
q <<'SQL'
create table payloads (id int primary key, named text, positional text, minute text);
insert into payloads
select p, (select json_agg(json_build_object('server_id', 100000 + p * 20 + s, 'running', true, 'counter_epoch', 'e' || (p * 7919 + s),
    'cpu_nanos', (random() * 1e13)::bigint, 'memory_bytes', (random() * 1e9)::bigint, 'memory_peak_bytes', (random() * 1e9)::bigint,
    'processes', (random() * 50)::int, 'oom_kills', 0, 'throttled_nanos', (random() * 1e9)::bigint, 'pids_limit_hits', 0,
    'disk_used_bytes', (random() * 1e10)::bigint, 'cpu_stall_micros', (random() * 1e6)::bigint, 'memory_stall_micros', (random() * 1e5)::bigint,
    'io_stall_micros', (random() * 1e6)::bigint, 'network_in_bytes', (random() * 1e10)::bigint, 'network_out_bytes', (random() * 1e10)::bigint))::text
    from generate_series(1, 20) s),
  (select json_agg(json_build_array(100000 + p * 20 + s, true, 'e' || (p * 7919 + s), (random() * 1e13)::bigint, (random() * 1e9)::bigint,
    (random() * 1e9)::bigint, (random() * 50)::int, 0, (random() * 1e9)::bigint, 0, (random() * 1e10)::bigint, (random() * 1e6)::bigint,
    (random() * 1e5)::bigint, (random() * 1e6)::bigint, (random() * 1e10)::bigint, (random() * 1e10)::bigint))::text
    from generate_series(1, 20) s)
from generate_series(1, 100) p;
-- a minute: six rounds, each [its time in ms, the host's six figures, its servers' samples by position]
update payloads p set minute = (select json_agg(json_build_array(1764633600000 + r * 10000, (random() * 1e9)::bigint, (random() * 1e10)::bigint,
    round(random()::numeric * 4, 2), (random() * 1e10)::bigint, (random() * 1e10)::bigint, 20,
    (select positional from payloads q where q.id = (p.id + r) % 100 + 1)::json))::text from generate_series(0, 5) r);
create table hs_named (host_id bigint, sampled_at timestamptz, server_samples jsonb, primary key (host_id, sampled_at));
create table hs_main (like hs_named including all);
alter table hs_main alter column server_samples set storage main;
create table hs_positional (like hs_named including all);
create table minute_jsonb (like hs_named including all);
create table minute_json (host_id bigint, sampled_at timestamptz, server_samples json, primary key (host_id, sampled_at));
create table minute_text (host_id bigint, sampled_at timestamptz, server_samples text, primary key (host_id, sampled_at));
SQL
q -At -c "select 'JSON text of a round: named ' || avg(length(named))::int || ' bytes, positional ' || avg(length(positional))::int
  || '; of a minute of six: ' || avg(length(minute))::int from payloads"
echo "| table | per insert | per round | per million rounds |"
echo "| --- | --- | --- | --- |"
run() { # table column rounds-a-row type
  printf '\\set p random(1, 100)\n\\set h random(1, 100000000)\ninsert into %s select :h, now(), %s::%s from payloads where id = :p;\n' "$1" "$2" "$4" > "$work/$1.sql"
  local tps
  tps=$(PGOPTIONS="-c synchronous_commit=off" pgbench -n -h "$work" -p 55432 -U postgres -c 1 -T 15 -f "$work/$1.sql" postgres 2>/dev/null \
    | grep -o 'tps = [0-9.]*' | head -1 | cut -d' ' -f3)
  echo "| $1 | $(awk -v t="$tps" 'BEGIN {printf "%.0f µs", 1e6 / t}') | $(awk -v t="$tps" -v n="$3" 'BEGIN {printf "%.0f µs", 1e6 / t / n}')" \
    "| $(q -At -c "select pg_size_pretty(pg_total_relation_size('$1') / count(*) * 1000000 / $3) from $1") |"
}
for _ in 1 2; do
  run hs_named named 1 jsonb; run hs_main named 1 jsonb; run hs_positional positional 1 jsonb
  run minute_jsonb minute 6 jsonb; run minute_json minute 6 json; run minute_text minute 6 text
done
