#!/usr/bin/env bash
# Density benchmark: N idle busybox servers under a real `corral-agent serve`, against N idle crun
# containers on the same root filesystem. Reports host memory per idle server (MemAvailable drop,
# page cache dropped before each reading) and the agent's RSS. Usage (as root): bench/density.sh [N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n="${1:-200}"
port=18750
secret=density-bench-0123456789
agent_pid=""
source "$here/work-dir.sh"
work="$(make_work_dir corral-density)"
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  remove_work_dir "$work"
}
trap cleanup EXIT

available_kib() { sync; echo 3 > /proc/sys/vm/drop_caches; awk '/MemAvailable/ {print $2}' /proc/meminfo; }
# -k: the bench's own agent on loopback; the secret on stdin, not in ps
api() { printf 'header = "Authorization: Bearer %s"\n' "$secret" | curl -sfk -K - -X "$1" "https://127.0.0.1:$port/v1$2" ${3:+-d "$3"} >/dev/null; }

CORRAL_AGENT_SECRET=$secret "$here/../corral-agent" --state-dir "$work/state" serve --port $port --console-port 0 >"$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do api GET /host && break; sleep 0.2; done
api POST /templates/busybox/build
java_pid=$(pgrep -f -P "$agent_pid" java || echo "$agent_pid")
rss_kib() { jcmd "$java_pid" GC.run >/dev/null 2>&1 || true; awk '/VmRSS/ {print $2}' /proc/"$java_pid"/status; }
rss_before=$(rss_kib)
before=$(available_kib)
start=$(date +%s.%N)
for i in $(seq "$n"); do
  api POST /servers "{\"id\":\"d$i\",\"hostname\":\"d$i\",\"template\":\"busybox\",\"limits\":{\"memoryMiB\":64,\"diskMiB\":64,\"cpus\":0.1}}"
  api POST "/servers/d$i/start"
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
rss=$(rss_kib)
after=$(available_kib)
# the agent's own growth is reported on its own line, not spread over the servers
corral_per=$(echo "scale=2; ($before - $after - ($rss - $rss_before)) / $n / 1024" | bc)
for i in $(seq "$n"); do api DELETE "/servers/d$i"; done

# crun: the same rootfs, sleep as PID 1, detached; cgroup2 hidden as shared/PLATFORM.md describes
R="$work/state/templates/busybox/rootfs"
mkdir -p "$work/crun" && (cd "$work/crun" && crun spec)
jq --arg r "$R" '.root.path=$r | .root.readonly=true | .process.args=["/bin/sleep","100000"] | .process.terminal=false' \
  "$work/crun/config.json" > "$work/crun/c.json" && mv "$work/crun/c.json" "$work/crun/config.json"
crun_per=$(unshare -m --propagation private bash -c '
  set -e
  umount /sys/fs/cgroup/unified
  available_kib() { sync; echo 3 > /proc/sys/vm/drop_caches; awk "/MemAvailable/ {print \$2}" /proc/meminfo; }
  before=$(available_kib)
  for i in $(seq '"$n"'); do crun run -d --bundle '"$work/crun"' density-$i >/dev/null; done
  after=$(available_kib)
  for i in $(seq '"$n"'); do crun kill density-$i KILL; done
  for i in $(seq '"$n"'); do for _ in 1 2 3 4 5 6 7 8 9 10; do crun delete density-$i 2>/dev/null && break; sleep 0.1; done; done
  echo "scale=2; ($before - $after) / '"$n"' / 1024" | bc')

echo "| what | value |"
echo "| --- | --- |"
echo "| idle servers | $n |"
echo "| corral: host memory per idle server (MiB) | $corral_per |"
echo "| crun: host memory per idle container (MiB) | $crun_per |"
echo "| corral agent RSS with $n servers, after a GC (MiB) | $((rss / 1024)) (was $((rss_before / 1024)) with none) |"
echo "| corral: create + start of all $n over the API (s) | $elapsed |"
