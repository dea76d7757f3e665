#!/usr/bin/env bash
# Test hosts on one machine: network namespaces on a bridge of their own, for host agents that the panel
# reaches as separate hosts (the tests, ./run.sh --hosts N and the benchmarks use it). Addresses come from a
# /28 of a documentation range; nothing is routed or NATed beyond the bridge (no namespace has a default route).
#   scripts/test-hosts.sh up NAME COUNT [PREFIX]  one line per host: "<namespace> <address>"
#   scripts/test-hosts.sh down NAME               removes what up made (also what a failed test left)
#   scripts/test-hosts.sh run NAMESPACE CMD...    runs CMD (an agent) as that host: in its network namespace,
#       with a mount namespace of its own (mounts from the machine still reach it, its own stay inside) whose
#       /sys shows the namespace's network devices and the machine's cgroups (ip netns exec hides the cgroups)
#   scripts/test-hosts.sh alone CMD...            runs CMD as run does, in a network namespace of its own with only
#       its loopback, removed after (with every bridge, veth and nftables table CMD left in it): ./test.sh runs
#       the agent's tests so, beside the panel's, whose servers use the same documentation ranges
# NAME: 1 to 6 lowercase letters or digits. The bridge is c<NAME>, host i's namespace c<NAME>-<i> and its
# veth c<NAME>v<i> (eth0 inside). PREFIX: a /28's first address without its last octet and that octet,
# default 203.0.113.240 (TEST-NET-3): the bridge takes .241, host i .(241 + i), 13 hosts at most.
set -euo pipefail
command -v ip >/dev/null || { echo "test-hosts.sh needs ip (Debian: apt-get install iproute2)" >&2; exit 1; }
usage() { echo "usage: $0 up NAME COUNT [A.B.C.D] | down NAME | run NAMESPACE CMD... | alone CMD..." >&2; exit 2; }
[ $# -ge 2 ] || usage
if [ "$1" = alone ]; then
  shift
  ns="corral-alone-$$"
  ip netns add "$ns"
  # what CMD left running there (a server's init, a test's helper) is killed, so that the namespace goes with its name
  trap 'ip netns pids "$ns" | xargs -r kill -9; ip netns delete "$ns"' EXIT
  ip -n "$ns" link set lo up
  # and a /run/netns of its own: names CMD gives its own namespaces there would otherwise show on the machine as
  # files that are no namespace there (run's mounts stay in its mount namespace), and `ip netns list` complain of them
  "$0" run "$ns" sh -c 'mkdir -p /run/netns && mount -t tmpfs -o mode=755 netns /run/netns && exec "$@"' sh "$@"
  exit
fi
if [ "$1" = run ]; then
  [ $# -ge 3 ] && [ -e "/run/netns/$2" ] || { echo "run needs a namespace made by up and a command" >&2; exit 2; }
  ns=$2; shift 2
  exec nsenter --net="/run/netns/$ns" unshare --mount --propagation slave sh -c '
    set -e
    keep=$(mktemp -d /run/corral-test-host-cgroup.XXXXXX)
    mount --rbind /sys/fs/cgroup "$keep"
    umount -l /sys
    mount -t sysfs sysfs /sys
    mount --move "$keep" /sys/fs/cgroup
    rmdir "$keep"
    exec "$@"' sh "$@"
fi
action=$1 name=$2
[[ $name =~ ^[a-z0-9]{1,6}$ ]] || { echo "NAME must be 1 to 6 lowercase letters or digits, not '$name'" >&2; exit 2; }
bridge="c$name"

down() {
  for ns in $(ip netns list | awk -v p="^c$name-[0-9]+$" '$1 ~ p {print $1}'); do ip netns delete "$ns"; done
  ip link delete "$bridge" 2>/dev/null || true
}

case "$action" in
  down) down ;;
  up)
    [ $# -ge 3 ] || usage
    count=$3 first=${4:-203.0.113.240}
    [[ $count =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 13 ] || { echo "COUNT must be 1 to 13, not '$count'" >&2; exit 2; }
    [[ $first =~ ^([0-9]+\.[0-9]+\.[0-9]+)\.([0-9]+)$ ]] && [ $(( BASH_REMATCH[2] % 16 )) -eq 0 ] \
      || { echo "PREFIX must be the first address of a /28 (A.B.C.D, D a multiple of 16), not '$first'" >&2; exit 2; }
    net=${BASH_REMATCH[1]} low=${BASH_REMATCH[2]}
    down
    ip link add "$bridge" type bridge
    ip addr add "$net.$((low + 1))/28" dev "$bridge"
    ip link set "$bridge" up
    for i in $(seq "$count"); do
      ns="c$name-$i" address="$net.$((low + 1 + i))"
      ip netns add "$ns"
      ip link add "c${name}v$i" type veth peer name eth0 netns "$ns"
      ip link set "c${name}v$i" master "$bridge" up
      ip -n "$ns" link set lo up
      ip -n "$ns" addr add "$address/28" dev eth0
      ip -n "$ns" link set eth0 up
      # as a host's admin sets on its uplink for port forwards to reach private networks (host-agent/README.md)
      ip netns exec "$ns" sysctl -qw net.ipv4.conf.eth0.forwarding=1
      echo "$ns $address"
    done
    ;;
  *) usage ;;
esac
