#!/usr/bin/env bash
# Start-time benchmark: Corral against unshare(1), crun and lxc-execute on the same busybox root
# filesystem, in one run. Prints a Markdown table; see RESULTS.md for recorded runs.
# Usage (as root): bench/start.sh [RUNS]   (default 40)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-40}"
for tool in hyperfine crun lxc-execute unshare jq; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install hyperfine crun lxc util-linux jq)" >&2; exit 1; }
done
source "$here/work-dir.sh"
work="$(make_work_dir corral-bench)"
trap 'remove_work_dir "$work"' EXIT
"$here/../corral-agent" --state-dir "$work/state" template build busybox >/dev/null
R="$work/state/templates/busybox/rootfs"

# crun bundle: the same rootfs, /bin/true, no terminal
mkdir -p "$work/crun" && (cd "$work/crun" && crun spec)
jq --arg r "$R" '.root.path=$r | .root.readonly=true | .process.args=["/bin/true"] | .process.terminal=false' \
  "$work/crun/config.json" > "$work/crun/c.json" && mv "$work/crun/c.json" "$work/crun/config.json"
# lxc: the same rootfs, no network devices, proc and read-only sys
mkdir -p "$work/lxc/bb"
cat > "$work/lxc/bb/config" <<CONF
lxc.uts.name = bb
lxc.rootfs.path = dir:$R
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.mount.auto = proc:mixed sys:ro
CONF

stats() { # name json-file → row with median and p95 (ms) from hyperfine's per-run times
  jq -r --arg n "$1" '.results[0].times | sort | . as $t | length as $l
    | "| \($n) | \(($t[($l*0.5|floor)]*1000*100|round)/100) | \(($t[(($l*0.95|ceil)-1)]*1000*100|round)/100) | \(($t[0]*1000*100|round)/100) | \($l) |"' "$2"
}
hf() { hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/$1.json" "$2" >/dev/null 2>&1; stats "$1" "$work/$1.json"; }

echo "| what | median ms | p95 ms | min ms | runs |"
echo "| --- | --- | --- | --- | --- |"
corral=$(java -cp "$here/../target/corral-agent.jar" "$here/StartBench.java" "$work/state" "$runs" 2>/dev/null)
echo "$corral" | jq -r '.with_user_namespace | "| corral start, own user namespace (until init has exec'"'"'d) | \(.median_ms) | \(.p95_ms) | \(.min_ms) | \(.runs) |"'
echo "$corral" | jq -r '.without_user_namespace | "| corral start, no user namespace | \(.median_ms) | \(.p95_ms) | \(.min_ms) | \(.runs) |"'
hf floor "$R/bin/busybox true"
hf unshare "unshare --pid --fork --uts --ipc --net --mount --mount-proc=/proc --root=$R /bin/true"
hf unshare-user "unshare --user --map-root-user --pid --fork --uts --ipc --net --mount --mount-proc=/proc --root=$R /bin/true"
# crun refuses this hybrid cgroup layout unless cgroup2 is hidden (see shared/PLATFORM.md): time crun alone inside that mount namespace
unshare -m --propagation private sh -c "umount /sys/fs/cgroup/unified && hyperfine -N --warmup 3 --runs $runs --export-json $work/crun.json 'crun run --bundle $work/crun bench' >/dev/null 2>&1"
stats crun "$work/crun.json"
hf lxc-execute "lxc-execute -P $work/lxc -n bb -- /bin/true"
echo
echo "corral create (sparse ext4 image, mkfs, mount): $(echo "$corral" | jq .with_user_namespace.create_ms) ms"
