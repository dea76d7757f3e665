#!/usr/bin/env bash
# Sampling cost: N idle busybox servers under a real `corral-agent serve` sampling every second;
# the sampler thread's CPU time (utime + stime of the thread named "sampler") over a minute gives
# the cost of one round, and from it the share of one core at the default 10 s interval for 500
# servers. Usage (as root): bench/sampler.sh [N] [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n="${1:-200}"
seconds="${2:-60}"
port=18751
secret=sampler-bench-0123456789
agent_pid=""
source "$here/work-dir.sh"
work="$(make_work_dir corral-sampler)"
cleanup() { # the servers first: their disks are mounted inside the work directory
  for i in $(ls "$work/state/servers" 2>/dev/null); do api DELETE "/servers/$i" >/dev/null || true; done
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  remove_work_dir "$work"
}
trap cleanup EXIT
# -k: the bench's own agent on loopback; the secret on stdin, not in ps
api() { printf 'header = "Authorization: Bearer %s"\n' "$secret" | curl -sfk -K - -X "$1" "https://127.0.0.1:$port/v1$2" ${3:+-d "$3"}; }

if api GET /host >/dev/null 2>&1; then echo "port $port is taken by another agent" >&2; exit 1; fi
CORRAL_AGENT_SECRET=$secret "$here/../corral-agent" --state-dir "$work/state" serve --port $port --console-port 0 --sample-every 1 \
  >"$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do api GET /host >/dev/null 2>&1 && break; sleep 0.2; done
api POST /templates/busybox/build >/dev/null
for i in $(seq "$n"); do
  api POST /servers "{\"id\":\"s$i\",\"hostname\":\"s$i\",\"template\":\"busybox\",\"limits\":{\"memoryMiB\":64,\"diskMiB\":64,\"cpus\":0.1}}" >/dev/null
  api POST "/servers/s$i/start" >/dev/null
done
java_pid=$(pgrep -f -P "$agent_pid" java || echo "$agent_pid")
sampler_tid() { grep -l '^sampler$' /proc/"$java_pid"/task/*/comm | head -1 | cut -d/ -f5; }
ticks() { awk '{print $14 + $15}' /proc/"$java_pid"/task/"$(sampler_tid)"/stat; }
system_ticks() { awk '{print $15}' /proc/"$java_pid"/task/"$(sampler_tid)"/stat; }
hz=$(getconf CLK_TCK)
# let the JIT settle on the sampling code first
sleep 20
t0=$(ticks); k0=$(system_ticks); s0=$(date +%s.%N)
sleep "$seconds"
t1=$(ticks); k1=$(system_ticks); s1=$(date +%s.%N)
elapsed=$(echo "$s1 - $s0" | bc)
cpu_s=$(echo "scale=4; ($t1 - $t0) / $hz" | bc)
per_round_ms=$(echo "scale=3; $cpu_s * 1000 / $elapsed" | bc)   # one round per second
share_500=$(echo "scale=4; $per_round_ms * 500 / $n / 10000 * 100" | bc)
echo "| what | value |"
echo "| --- | --- |"
echo "| servers sampled | $n |"
echo "| sampler CPU over ${elapsed%.*} s at one round a second | $cpu_s s |"
echo "| CPU per round of $n servers | $per_round_ms ms |"
echo "| of which in the kernel (system time) | $(echo "scale=0; 100 * ($k1 - $k0) / ($t1 - $t0)" | bc) % |"
echo "| share of one core for 500 servers every 10 s (scaled) | $share_500 % |"
