#!/usr/bin/env bash
# Every host's allocation, as placement, the host list and the consolidation page read it, at 5,000 hosts and 100,000
# servers (bench/scale-seed.sql): summed over the servers' rows (as before V34) against the sums the database keeps
# (host_allocation, V34), folded and with 1,000 changes of servers noted and not yet folded, and as placement reads them
# (the 5,000 hosts that are up named in an array, bound as text or as bigint[]). A scratch PostgreSQL
# cluster with the panel's migrations; pgbench with 1 client for 15 s each. Usage, as root:
# bench/allocations.sh PG_BIN_DIR (initdb, pg_ctl: the embedded binaries, data/postgres-binaries/*/bin after ./run.sh,
# or Debian's /usr/lib/postgresql/*/bin; needs pgbench and psql on the PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:?the PostgreSQL bin directory (initdb, pg_ctl), e.g. data/postgres-binaries/PG-*/bin}
work=$(mktemp -d /tmp/corral-allocations-XXXX) D=$work/data
chown postgres "$work"
runuser -u postgres -- "$B/initdb" -D "$D" -U postgres -A trust >/dev/null
runuser -u postgres -- "$B/pg_ctl" -D "$D" -o "-p 55433 -c unix_socket_directories=$work" -l "$work/log" -w start >/dev/null
trap 'runuser -u postgres -- "$B/pg_ctl" -D "$D" -w stop >/dev/null; rm -rf "$work"' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 -h "$work" -p 55433 -U postgres "$@"; }
migrations() { ls migrations | sort -t_ -k1.2n | while read -r m; do echo "migrations/$m"; done; }
# the fleet is seeded before V34, whose own fill then sums it, as it does on a panel upgraded with servers
for m in $(migrations | grep -v '/V34__'); do q -f "$m" >/dev/null; done
q -v tenants=2000 -v hosts=5000 -v servers=100000 -v url=https://127.0.0.1:9 -v secret=unused -v fingerprint=unused \
  -f bench/scale-seed.sql >/dev/null
q -f migrations/V34__host_allocation.sql >/dev/null
cat > "$work/summed.sql" <<'SQL'
select h.id, count(*), sum(v.memory_mib), sum(v.swap_mib), sum(v.cpus), sum(v.cpu_weight), sum(v.pids), sum(v.disk_mib)
from virtual_server v join host h on h.id = v.host_id or h.id = v.moving_to_host_id
where v.desired_state <> 'destroyed' group by h.id;
SQL
cat > "$work/kept.sql" <<'SQL'
select host_id, sum(servers), sum(memory_mib), sum(swap_mib), sum(cpus), sum(cpu_weight), sum(pids), sum(disk_mib)
from (select host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib from host_allocation
      union all select host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib from host_allocation_change) a
group by host_id;
SQL
same() { [ "$(q -At -c "$(cat "$work/summed.sql") " | sort | md5sum)" = "$(q -At -f "$work/kept.sql" | sort | md5sum)" ]; }
same || { echo "the kept sums differ from the servers' rows after V34's fill" >&2; exit 1; }
run() { # label file
  local tps
  tps=$(pgbench -n -h "$work" -p 55433 -U postgres -c 1 -T 15 -f "$2" postgres 2>/dev/null | awk '/^tps/ {print $3}')
  awk -v l="$1" -v t="$tps" 'BEGIN {printf "%-44s %8.2f ms\n", l, 1000 / t}'
}
echo "every host's allocation, 5,000 hosts, 100,000 servers ($(nproc) cores, $("$B/postgres" --version))"
for pass in 1 2; do
  run "summed over the servers' rows (before V34)" "$work/summed.sql"
  run "kept, folded" "$work/kept.sql"
done
q -c "update virtual_server set memory_mib = memory_mib + 64 where id in (select id from virtual_server order by id limit 1000)"
same || { echo "the kept sums differ from the servers' rows after 1,000 changes" >&2; exit 1; }
for pass in 1 2; do
  run "kept, 1,000 changes not yet folded" "$work/kept.sql"
done
# as placement asks: the hosts that are up named in one array parameter, as the JDBC driver binds it (bigint[]) and,
# as the panel bound it before, as text cast in the statement (array_in, which PostgreSQL does not fold: it is stable)
ids=$(q -At -c "select '{' || string_agg(id::text, ',') || '}' from host where status = 'up'")
for as in 'text' 'bigint[]'; do
  named="host_id = any(cast('$ids'::$as as bigint[]))"
  cat > "$work/named-${as%[]}.sql" <<SQL
select host_id, sum(servers), sum(memory_mib), sum(swap_mib), sum(cpus), sum(cpu_weight), sum(pids), sum(disk_mib)
from (select host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib from host_allocation where $named
      union all select host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib from host_allocation_change where $named) a
group by host_id;
SQL
done
for pass in 1 2; do
  run "kept, 5,000 hosts named as text" "$work/named-text.sql"
  run "kept, 5,000 hosts named as bigint[]" "$work/named-bigint.sql"
done
