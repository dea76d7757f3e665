#!/usr/bin/env bash
# Snapshot and backup benchmark: a running busybox server with 200 MiB of random data on a 512 MiB disk,
# a snapshot and a full backup, then 1 MiB changed and an incremental backup (BackupBench.java, in the
# agent's process), against `cp --sparse=always` of the same image (the snapshot's copy) and
# `rsync --inplace --no-whole-file` of it to a second directory (full, then the changed image), in one run;
# then the same backups and restore against an S3 bucket: Adobe S3Mock on loopback (its jar fetched by Maven
# into target/s3mock), its ports shut to all but loopback by an nftables table of the bench's own.
# Prints a Markdown table; see RESULTS.md for recorded runs.
# Usage (as root, after mvn package): bench/backup.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for tool in rsync jq python3 nft; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install rsync jq python3 nftables)" >&2; exit 1; }
done
source "$here/work-dir.sh"
work="$(make_work_dir corral-backup-bench)"
s3mock_pid=""; s3mock_table=""
cleanup() {
  [ -z "$s3mock_pid" ] || { kill "$s3mock_pid" 2>/dev/null; wait "$s3mock_pid" 2>/dev/null || true; }
  [ -z "$s3mock_table" ] || nft delete table inet "$s3mock_table"
  remove_work_dir "$work"
}
trap cleanup EXIT

coproc BENCH { java -cp "$here/../target/corral-agent.jar" "$here/BackupBench.java" "$work/state" "$work/store" 2>"$work/bench.log"; }
bench_pid=$BENCH_PID
read -r result <&"${BENCH[0]}" || { cat "$work/bench.log" >&2; exit 1; }

seconds() { # command... → wall seconds, the command's output to $work/out
  local start end
  start=$(date +%s%N); "$@" >"$work/out"; end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
sent() { grep -F 'Total bytes sent' "$work/out" | tr -dc '0-9'; }

s1=$(jq -r .snapshot.image <<<"$result"); s2=$(jq -r .snapshot2.image <<<"$result")
mkdir -p "$work/copies"
cp_ms=$(seconds sh -c "cp --sparse=always '$s1' '$work/copies/cp.img' && sync '$work/copies/cp.img'")
rsync_full_ms=$(seconds sh -c "rsync --inplace --no-whole-file --stats '$s1' '$work/copies/rsync.img' && sync '$work/copies/rsync.img'")
rsync_full_sent=$(sent)
rsync_incr_ms=$(seconds sh -c "rsync --inplace --no-whole-file --stats '$s2' '$work/copies/rsync.img' && sync '$work/copies/rsync.img'")
rsync_incr_sent=$(sent)
exec {BENCH[1]}>&-
wait "$bench_pid"

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
j() { jq -r "$1" <<<"$result"; }
echo "| what | ms | MiB stored or sent | pause ms |"
echo "| --- | --- | --- | --- |"
echo "| corral snapshot (sparse copy of the 512 MiB image, fsynced) | $(j .snapshot.ms) | $(mib "$(j .snapshot.storedBytes)") (data extents) | $(j .snapshot.pauseMs) |"
echo "| \`cp --sparse=always\` of the snapshot's image, then sync | $cp_ms | — | — |"
echo "| corral full backup (chunks $(j .full.chunks), new $(j .full.newChunks)) | $(j .full.ms) | $(mib "$(j .full.storedBytes)") | $(j .full.pauseMs) |"
echo "| \`rsync --inplace --no-whole-file\`, full, then sync | $rsync_full_ms | $(mib "$rsync_full_sent") | — |"
echo "| corral incremental backup, 1 MiB changed (new chunks $(j .incremental.newChunks)) | $(j .incremental.ms) | $(mib "$(j .incremental.storedBytes)") | $(j .incremental.pauseMs) |"
echo "| \`rsync --inplace --no-whole-file\`, the changed image, then sync | $rsync_incr_ms | $(mib "$rsync_incr_sent") | — |"
echo "| corral restore of the full backup (checked, into the running server: stop, swap, start) | $(j .restoreMs) | $(mib "$(j .full.totalBytes)") read | — |"

# The same against S3Mock, HTTP on loopback, a second agent process with its own state directory.
[ -f "$here/../target/s3mock/s3mock.jar" ] || (cd "$here/.." && mvn -B -q -ntp process-test-resources)
read -r port tls_port < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
s3mock_table="corral_s3mock_bench_$port"
nft -f - <<NFT
table inet $s3mock_table {
 chain input {
  type filter hook input priority -10; policy accept;
  iifname != "lo" tcp dport { $port, $tls_port } drop
 }
}
NFT
java -Xmx256m -jar "$here/../target/s3mock/s3mock.jar" --http.port="$port" --server.port="$tls_port" --server.address=127.0.0.1 \
  --com.adobe.testing.s3mock.store.root="$work/s3mock" --com.adobe.testing.s3mock.store.initial-buckets=bench \
  --logging.level.root=WARN >"$work/s3mock.log" 2>&1 &
s3mock_pid=$!
deadline=$((SECONDS + 120))
until [ "$(curl -s -o /dev/null -w '%{http_code}' -I "http://127.0.0.1:$port/bench")" = 200 ]; do
  kill -0 "$s3mock_pid" 2>/dev/null || { cat "$work/s3mock.log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "S3Mock did not answer within 120 s" >&2; exit 1; }
  sleep 0.2
done
result=$(AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench java -cp "$here/../target/corral-agent.jar" "$here/BackupBench.java" \
  "$work/state-s3" "http://127.0.0.1:$port/bench" 2>"$work/bench-s3.log" </dev/null | head -1) || { cat "$work/bench-s3.log" >&2; exit 1; }
echo "| corral full backup to S3 (S3Mock on loopback; chunks $(j .full.chunks), new $(j .full.newChunks)) | $(j .full.ms) | $(mib "$(j .full.storedBytes)") | $(j .full.pauseMs) |"
echo "| corral incremental backup to S3, 1 MiB changed (new chunks $(j .incremental.newChunks)) | $(j .incremental.ms) | $(mib "$(j .incremental.storedBytes)") | $(j .incremental.pauseMs) |"
echo "| corral restore of the full backup from S3 (checked, stop, swap, start) | $(j .restoreMs) | $(mib "$(j .full.totalBytes)") read | — |"
