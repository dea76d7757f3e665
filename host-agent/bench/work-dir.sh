# Sourced by the benchmarks: removes a benchmark's work directory once its agent is gone. A server
# the agent could not destroy must not keep its disk mounted in the directory being removed.
remove_work_dir() {
  local work="$1" left
  left="$(grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r || true)"
  if [ -n "$left" ]; then
    echo "still mounted after the agent's cleanup, unmounting: $left" >&2
    echo "$left" | xargs -r -n1 umount -l
  fi
  rm -rf "$work"
}
