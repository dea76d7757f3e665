#!/usr/bin/env bash
# Moving a server with 200 MiB written between two hosts (network namespaces of scripts/test-hosts.sh, each with its
# own agent), in one run: the downtime of a move with pre-copy (copied while it runs, stopped for the last changes)
# against stop-and-copy (stopped first, then all of it copied), each until it answers on the other host; and rsync of
# the same 200 MiB between the same namespaces (a daemon in one, the client in the other), which is what a stop,
# rsync, start by hand would keep a server down for at least. While the server is copied, a writer inside it rewrites
# a 4 MiB file in a loop, as a busy server would.
# Usage (as root, from host-agent/ after mvn package): bench/move.sh [ROUNDS]   (default 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-5}"
for tool in jq curl rsync nsenter; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install jq curl rsync util-linux)" >&2; exit 1; }
done
source "$here/work-dir.sh"
work="$(make_work_dir corral-move-bench)"
hosts="$here/../../scripts/test-hosts.sh"
secret=move-bench-secret-0123456789
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$hosts" down cmvb
  remove_work_dir "$work"
}
trap cleanup EXIT
mapfile -t lines < <("$hosts" up cmvb 2)
ns=() addr=() port=8750
for l in "${lines[@]}"; do ns+=("${l%% *}"); addr+=("${l##* }"); done
fingerprint=()
for i in 0 1; do
  mkdir -p "$work/h$i"
  fingerprint+=("$(java -jar "$here/../target/corral-agent.jar" --state-dir "$work/h$i" fingerprint)")
  CORRAL_AGENT_SECRET=$secret "$hosts" run "${ns[$i]}" java -jar "$here/../target/corral-agent.jar" --state-dir "$work/h$i" \
    --stop-grace 3 serve --listen "${addr[$i]}" --port $port --console-port 0 >"$work/h$i.log" 2>&1 &
  pids+=($!)
done
# -k: the bench's own agents on their own addresses; the secret on stdin, not in ps
agent() { local h=$1; shift; printf 'header = "Authorization: Bearer %s"\n' "$secret" | curl -sfk -K - -H 'Content-Type: application/json' "https://${addr[$h]}:$port$@"; }
for i in 0 1; do
  for _ in $(seq 200); do agent "$i" /v1/host >/dev/null 2>&1 && break; sleep 0.2; done
  agent "$i" /v1/templates/busybox/build -X POST >/dev/null
done
ms() { date +%s%3N; }
exec_in() { agent 0 "/v1/servers/$1/exec" -X POST -d "$(jq -nc --arg s "$2" '{command:["sh","-c",$s],timeoutSeconds:600}')" >/dev/null; }
# until the server answers a command on host 1
await_answer() { until agent 1 "/v1/servers/$1/exec" -X POST -d '{"command":["true"]}' >/dev/null 2>&1; do :; done; }

precopy=() stopcopy=() sent=() roundsUsed=() halt=() last=() commit=() start=()
for r in $(seq "$rounds"); do
  for mode in precopy stopcopy; do
    id="mv-$mode-$r" token="bench-token-$r-$mode-0123456789abcdefghij"
    agent 0 /v1/servers -X POST -d "{\"id\":\"$id\",\"hostname\":\"moved\",\"template\":\"busybox\",\"start\":true,\"limits\":{\"diskMiB\":512}}" >/dev/null
    exec_in "$id" 'dd if=/dev/urandom of=/root/data bs=1M count=200 2>/dev/null; sync'
    exec_in "$id" 'nohup sh -c "while :; do dd if=/dev/urandom of=/root/busy bs=64k count=64 conv=notrunc 2>/dev/null; done" >/dev/null 2>&1 &'
    agent 1 /v1/servers -X POST -d "{\"id\":\"$id\",\"hostname\":\"moved\",\"template\":\"busybox\",\"limits\":{\"diskMiB\":512},\"moveToken\":\"$token\"}" >/dev/null
    body="{\"to\":\"https://${addr[1]}:$port\",\"fingerprint\":\"${fingerprint[1]}\",\"token\":\"$token\"}"
    if [ $mode = precopy ]; then
      result=$(agent 0 "/v1/servers/$id/send" -X POST -d "$body")
      t0=$(ms); agent 1 "/v1/servers/$id/start" -X POST >/dev/null; await_answer "$id"; t1=$(ms)
      precopy+=($(( $(jq .stoppedMillis <<<"$result") + t1 - t0 )))
      sent+=($(( $(jq .bytesSent <<<"$result") >> 20 ))) roundsUsed+=($(jq .rounds <<<"$result"))
      halt+=($(jq .haltMillis <<<"$result")) last+=($(jq .lastRoundMillis <<<"$result")) commit+=($(jq .commitMillis <<<"$result"))
      start+=($(( t1 - t0 )))
    else
      t0=$(ms)
      agent 0 "/v1/servers/$id/stop" -X POST >/dev/null
      agent 0 "/v1/servers/$id/send" -X POST -d "$body" >/dev/null
      agent 1 "/v1/servers/$id/start" -X POST >/dev/null; await_answer "$id"; t1=$(ms)
      stopcopy+=($(( t1 - t0 )))
    fi
    agent 0 "/v1/servers/$id" -X DELETE >/dev/null; agent 1 "/v1/servers/$id" -X DELETE >/dev/null
  done
done

# rsync of the same 200 MiB from one namespace to the other: a daemon in host 1's, the client in host 0's
mkdir -p "$work/rsync-from" "$work/rsync-to"
head -c $((200 << 20)) /dev/urandom > "$work/rsync-from/data"
cat > "$work/rsyncd.conf" <<CONF
pid file = $work/rsyncd.pid
use chroot = no
[to]
path = $work/rsync-to
read only = no
uid = root
gid = root
CONF
"$hosts" run "${ns[1]}" rsync --daemon --no-detach --config="$work/rsyncd.conf" --address="${addr[1]}" --port=8873 &
pids+=($!)
until "$hosts" run "${ns[0]}" rsync "rsync://${addr[1]}:8873/" >/dev/null 2>&1; do :; done
rsynced=()
for r in $(seq "$rounds"); do
  rm -f "$work/rsync-to/data"; sync
  t0=$(ms); "$hosts" run "${ns[0]}" rsync -a --inplace "$work/rsync-from/data" "rsync://${addr[1]}:8873/to/"; t1=$(ms)
  rsynced+=($(( t1 - t0 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| what | median ms | all ms |"
echo "| --- | --- | --- |"
echo "| move with pre-copy: stopped until it answers on the other host | $(median "${precopy[@]}") | ${precopy[*]} |"
echo "| move with stop-and-copy: stopped until it answers on the other host | $(median "${stopcopy[@]}") | ${stopcopy[*]} |"
echo "| rsync of the same 200 MiB between the same namespaces (the copy alone) | $(median "${rsynced[@]}") | ${rsynced[*]} |"
echo
echo "| pre-copy's downtime, halting the server and unmounting its disk | $(median "${halt[@]}") | ${halt[*]} |"
echo "| pre-copy's downtime, the last round (what changed since, read and checked whole) | $(median "${last[@]}") | ${last[*]} |"
echo "| pre-copy's downtime, the receiver's check, owner shift and swap | $(median "${commit[@]}") | ${commit[*]} |"
echo "| pre-copy's downtime, its start on the other host until it answers | $(median "${start[@]}") | ${start[*]} |"
echo
echo "pre-copy sent ${sent[*]} MiB in ${roundsUsed[*]} rounds"
