#!/usr/bin/env bash
# Networking benchmark, in one run: Corral's start with a network against without, and against crun
# with a veth set up by hand (ip netns + ip link, as a CNI plugin would); iperf3 between two Corral
# servers on one bridge against two plain network namespaces joined the same way (veths to a bridge,
# no rules), in interleaved rounds, TCP and 64-byte UDP; then the same with 500 servers' rules on the
# host (see NetworkBench.java). Documentation ranges only, on bridges and namespaces of its own, all
# removed at the end.
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

# two plain namespaces on a bridge of their own, measured in NetworkBench's rounds with Corral's pair
ip link add crb-plain type bridge && ip link set crb-plain up
for n in a b; do
  ip netns add "cbp$n"
  ip link add "cbp${n}h" type veth peer name eth0 netns "cbp$n"
  ip link set "cbp${n}h" master crb-plain up
done
ip -n cbpa address add 198.51.100.111/24 dev eth0 && ip -n cbpa link set eth0 up
ip -n cbpb address add 198.51.100.112/24 dev eth0 && ip -n cbpb link set eth0 up
corral=$(java -cp "$here/../target/corral-agent.jar" "$here/NetworkBench.java" "$work/bench-state" "$runs" \
  /run/netns/cbpa /run/netns/cbpb 198.51.100.111 2>"$work/bench.err") || { tail -20 "$work/bench.err" >&2; exit 1; }

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
echo "$corral" | jq -r '.network_500 | "| corral start, on a network, 500 servers'"'"' rules on the host | \(.median_ms) | \(.p95_ms) | \(.min_ms) | \(.runs) |"'
echo
echo "rules of 498 more servers made one by one: $(echo "$corral" | jq .rules_500_ms) ms"
echo
echo "| iperf3, 5 rounds of 5 s, median (min-max) | TCP Gbit/s | UDP 64 B, datagrams/s received |"
echo "| --- | --- | --- |"
for servers in 2 500; do
  echo "$corral" | jq -r --arg s "$servers" '.["servers_" + $s] | def f: "\(.median) (\(.min)-\(.max))";
    "| two Corral servers on one bridge, \($s) servers'"'"' rules | \(.corral_tcp_gbits | f) | \(.corral_udp_pps | f) |",
    "| two plain namespaces on a bridge, no rules (same rounds) | \(.plain_tcp_gbits | f) | \(.plain_udp_pps | f) |"'
done
echo
echo "each round in order:"
echo "$corral" | jq -c '{servers_2, servers_500} | map_values(map_values(.rounds))'
