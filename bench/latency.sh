# Sourced by bench/panel.sh and bench/scale.sh: latency percentiles of an HTTP endpoint under a steady wrk load and of
# an SQL script alone under pgbench, as "median p99 per-second" (milliseconds). Needs $work and $db.

wrk_warm() { # URL AUTHORIZATION: 30 s of requests first, so the JIT has compiled the hot paths (it still did at 20 s)
  wrk -t2 -c8 -d30s -H "Authorization: $2" "$1" >/dev/null
}

# SECONDS URL AUTHORIZATION [PACE] (wrk's report stays in $work/wrk.txt). PACE: milliseconds each connection waits between
# an answer and its next request (bench/paced.lua), for a load below what the panel can serve; none: as fast as it can.
wrk_latency() {
  if [ -n "${4:-}" ]; then
    wrk -t2 -c8 -d"$1s" --latency -H "Authorization: $3" -s bench/paced.lua "$2" -- "$4" > "$work/wrk.txt"
  else
    wrk -t2 -c8 -d"$1s" --latency -H "Authorization: $3" "$2" > "$work/wrk.txt"
  fi
  # an error is answered fast, and a socket error or a timeout is left out of wrk's percentiles: a run with any would
  # measure the wrong thing
  if grep -q 'Non-2xx' "$work/wrk.txt"; then echo "$2 answered errors under load:" >&2; cat "$work/wrk.txt" >&2; return 1; fi
  if grep -q 'Socket errors' "$work/wrk.txt"; then echo "$2 had socket errors or timeouts under load:" >&2; cat "$work/wrk.txt" >&2; return 1; fi
  echo "$(awk '$1=="50%" {print $2}' "$work/wrk.txt") $(awk '$1=="99%" {print $2}' "$work/wrk.txt") $(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")"
}

# SECONDS SCRIPT [-D NAME=VALUE...]. Prepared, with its values as parameters, as the panel's driver runs a statement it
# has run five times: PostgreSQL may then plan it once for any parameters (a generic plan), and must be timed doing the same.
# PGBENCH_RATE: transactions per second on pgbench's schedule (-R) instead of as fast as it can; each is then timed from
# its actual start, its lag behind the schedule taken off (the log's seventh field), as wrk times a request from its sending.
pgbench_latency() {
  local seconds=$1 script=$2; shift 2
  local rate=()
  [ -z "${PGBENCH_RATE:-}" ] || rate=(-R "$PGBENCH_RATE")
  pgbench -n -c8 -j2 -T3 -M prepared "${rate[@]}" "$@" -f "$script" "$db" >/dev/null 2>&1
  rm -f "$work"/pgb.*
  pgbench -n -c8 -j2 -T"$seconds" -M prepared "${rate[@]}" "$@" -f "$script" --log --log-prefix="$work/pgb" "$db" > "$work/pgbench.txt" 2>&1
  cat "$work"/pgb.* | awk '{print $3 - (NF >= 7 ? $7 : 0)}' | sort -n > "$work/lat.txt"
  local n
  n=$(wc -l < "$work/lat.txt")
  echo "$(awk -v k=$(( (n + 1) / 2 )) 'NR==k {printf "%.2fms", $1/1000}' "$work/lat.txt") $(awk -v k=$(( (n * 99 + 99) / 100 )) \
    'NR==k {printf "%.2fms", $1/1000}' "$work/lat.txt") $(awk '/^tps/ {print $3}' "$work/pgbench.txt")"
}
