#!/usr/bin/env bash
# Networking benchmark, in one run: Corral's start with a network against without, and against crun
# with a veth set up by hand (ip netns + ip link, as a CNI plugin would); iperf3 between two Corral
# servers on one bridge against two plain network namespaces joined the same way (veths to a bridge,
# no rules). Documentation ranges only, on bridges and namespaces of its own, all removed at the end.
# Usage (as root, from host-agent/ after mvn package): bench/network.sh [RUNS]   (default 40)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-40}"
for tool in hyperfine crun iperf3 jq nsenter; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install hyperfine crun iperf3 jq util-linux)" >&2; exit 1; }
done
source "$here/work-dir.sh"
work="$(make_work_dir corral-net-bench)"
cleanup() {
  ip netns del cbn 2>/dev/null || true
  for ns in cbpa cbpb; do ip netns del "$ns" 2>/dev/null || true; done
  for link in crb-hand crb-plain; do ip link del "$link" 2>/dev/null || true; done
  remove_work_dir "$work"
}
trap cleanup EXIT
"$here/../corral-agent" --state-dir "$work/state" template build busybox >/dev/null
R="$work/state/templates/busybox/rootfs"

corral=$(java -cp "$here/../target/corral-agent.jar" "$here/NetworkBench.java" "$work/bench-state" "$runs" 2>/dev/null)

# crun on the same rootfs, /bin/true: once in a network namespace of its own, once in one set up by hand
mkdir -p "$work/crun" "$work/crun-net" && (cd "$work/crun" && crun spec)
jq --arg r "$R" '.root.path=$r | .root.readonly=true | .process.args=["/bin/true"] | .process.terminal=false' \
  "$work/crun/config.json" > "$work/c.json" && mv "$work/c.json" "$work/crun/config.json"
jq '(.linux.namespaces[] | select(.type=="network")) |= . + {path: "/run/netns/cbn"}' \
  "$work/crun/config.json" > "$work/crun-net/config.json"
ip link add crb-hand type bridge && ip address add 203.0.113.1/24 dev crb-hand && ip link set crb-hand up
cat > "$work/crun-net.sh" <<SCRIPT
ip netns add cbn
ip link add cbh type veth peer name eth0 netns cbn
ip link set cbh master crb-hand up
ip -n cbn -batch - <<IP
link set lo up
address add 203.0.113.10/24 dev eth0
link set eth0 up
route add default via 203.0.113.1
IP
crun run --bundle $work/crun-net cbench
ip netns del cbn
SCRIPT
# crun refuses this hybrid cgroup layout unless cgroup2 is hidden (see shared/PLATFORM.md)
unshare -m --propagation private sh -c "umount /sys/fs/cgroup/unified 2>/dev/null; \
  hyperfine -N --warmup 3 --runs $runs --export-json $work/crun.json 'crun run --bundle $work/crun cbench' >/dev/null 2>&1; \
  hyperfine -N --warmup 3 --runs $runs --export-json $work/crun-net.json 'sh $work/crun-net.sh' >/dev/null 2>&1"

# two plain namespaces on a bridge of their own
ip link add crb-plain type bridge && ip link set crb-plain up
for n in a b; do
  ip netns add "cbp$n"
  ip link add "cbp${n}h" type veth peer name eth0 netns "cbp$n"
  ip link set "cbp${n}h" master crb-plain up
done
ip -n cbpa address add 198.51.100.111/24 dev eth0 && ip -n cbpa link set eth0 up
ip -n cbpb address add 198.51.100.112/24 dev eth0 && ip -n cbpb link set eth0 up
ip netns exec cbpa iperf3 -s -1 -D
until ip netns exec cbpb iperf3 -c 198.51.100.111 -t 10 -J > "$work/plain.json" 2>/dev/null; do sleep 0.1; done
plain_gbits=$(jq '.end.sum_received.bits_per_second / 1e9 * 100 | round / 100' "$work/plain.json")

stats() { # name json-file → row with median and p95 (ms) from hyperfine's per-run times
  jq -r --arg n "$1" '.results[0].times | sort | . as $t | length as $l
    | "| \($n) | \(($t[($l*0.5|floor)]*1000*100|round)/100) | \(($t[(($l*0.95|ceil)-1)]*1000*100|round)/100) | \(($t[0]*1000*100|round)/100) | \($l) |"' "$2"
}
echo "| what | median ms | p95 ms | min ms | runs |"
echo "| --- | --- | --- | --- | --- |"
echo "$corral" | jq -r '.plain | "| corral start, loopback only | \(.median_ms) | \(.p95_ms) | \(.min_ms) | \(.runs) |"'
echo "$corral" | jq -r '.network | "| corral start, on a network (veth, addresses, rules) | \(.median_ms) | \(.p95_ms) | \(.min_ms) | \(.runs) |"'
stats "crun run, network namespace of its own" "$work/crun.json"
stats "ip netns + veth by hand, then crun run in it" "$work/crun-net.json"
echo
echo "| iperf3, 10 s, one TCP stream | Gbit/s |"
echo "| --- | --- |"
echo "| two Corral servers on one bridge (anti-spoofing, counters) | $(echo "$corral" | jq .iperf3_gbits) |"
echo "| two plain namespaces on a bridge, no rules | $plain_gbits |"
